package dev.modelcontract.server;

import dev.modelcontract.tensors.CsvMutations;
import dev.modelcontract.tensors.JsonLinesMutations;
import dev.modelcontract.tensors.JsonMutations;
import dev.modelcontract.tensors.NpyMutations;
import dev.modelcontract.tensors.NpzMutations;
import java.util.Random;

/** Every request body format the server reads, and the mutations that know its structure. */
enum FuzzFormat {
  JSON_NAMED(MediaTypes.JSON),
  JSON_INPUTS(MediaTypes.JSON),
  JSON_INSTANCES(MediaTypes.JSON),
  JSON_OPEN_INFERENCE(MediaTypes.JSON),
  JSON_LINES(MediaTypes.JSON_LINES),
  NPZ(MediaTypes.NPZ),
  NPY(MediaTypes.NPY),
  CSV(MediaTypes.CSV);

  private final String mediaType;

  FuzzFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  String mediaType() {
    return mediaType;
  }

  /** A valid body of this format mutated where its structure is. */
  byte[] mutated(byte[] body, Random random, long limit) {
    return switch (this) {
      case JSON_NAMED, JSON_INPUTS, JSON_INSTANCES, JSON_OPEN_INFERENCE -> JsonMutations.mutated(body, random);
      case JSON_LINES -> JsonLinesMutations.mutated(body, random, JsonLinesDecoder.maxLines(limit), limit);
      case NPZ -> NpzMutations.mutated(body, random, limit);
      case NPY -> NpyMutations.mutated(body, random);
      case CSV -> CsvMutations.mutated(body, random);
    };
  }
}
