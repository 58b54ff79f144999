package dev.modelcontract.draft;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.DType;
import dev.modelcontract.inference.ModelArgument;
import dev.modelcontract.tensors.ElementType;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A sample request to learn shapes and dtypes from: named arrays as the server takes them, {@code {"history":
 * [[[...]]], "store_id": [3, 7]}}, or a golden pair whose {@code request} is one. JSON has no dtypes, so each array
 * gets the one {@code torch.tensor} gives the same Python values: int64 where every value is an integer as written
 * ({@code 3}, not {@code 3.0}), float32 where any has a fraction or exponent, bool for {@code true}/{@code false}.
 *
 * @param file where it was read
 * @param inputs each array with its dtype, in the file's order
 */
public record SampleRequest(Path file, Map<String, ModelArgument.Single> inputs) {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  public SampleRequest {
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
  }

  public static SampleRequest read(Path file) throws DraftException {
    JsonNode body;
    try {
      body = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException | JacksonException e) {
      throw new DraftException("cannot read the sample request " + file + ": " + e.getMessage(), e);
    }
    if (body != null && body.path("request").isObject() && body.has("response")) {
      body = body.get("request");
    }
    if (body == null || !body.isObject() || body.isEmpty()) {
      throw new DraftException("the sample request " + file + " is not a JSON object of named arrays; write it as"
          + " the server takes a request, e.g. {\"history\": [[[0.5, 1.0, 2.0]]], \"store_id\": [3]}");
    }
    Map<String, ElementType> types = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> member : body.properties()) {
      types.put(member.getKey(), new ElementType(dtypeOf(file, member.getKey(), member.getValue()), false));
    }
    Map<String, Tensor> tensors;
    try {
      tensors = new JsonTensorReader(types).read(new ByteArrayInputStream(JSON.writeValueAsBytes(body)));
    } catch (TensorFormatException | ContractViolation | IOException e) {
      throw new DraftException("the sample request " + file + " is not a request of named arrays: "
          + e.getMessage(), e);
    }
    Map<String, ModelArgument.Single> inputs = new LinkedHashMap<>();
    types.forEach((name, type) -> inputs.put(name, new ModelArgument.Single(type.dtype(), tensors.get(name))));
    return new SampleRequest(file, inputs);
  }

  /** The dtype torch.tensor gives these values; any float makes it float32, as in {@code torch.tensor([1, 2.5])}. */
  private static DType dtypeOf(Path file, String name, JsonNode value) throws DraftException {
    Kinds kinds = new Kinds();
    kinds.scan(value);
    if (kinds.other || (kinds.bool && (kinds.integer || kinds.floating)) || !(kinds.bool || kinds.integer
        || kinds.floating)) {
      throw new DraftException("'" + name + "' in the sample request " + file + " is not an array of numbers or of"
          + " booleans: init learns from numeric inputs (token ids, not strings)");
    }
    return kinds.bool ? DType.BOOL : kinds.floating ? DType.FLOAT32 : DType.INT64;
  }

  /** Which kinds of JSON scalars an array holds. */
  private static final class Kinds {
    boolean integer;
    boolean floating;
    boolean bool;
    boolean other;

    void scan(JsonNode node) {
      if (node.isArray()) {
        node.forEach(this::scan);
      } else if (node.isIntegralNumber()) {
        integer = true;
      } else if (node.isNumber()) {
        floating = true;
      } else if (node.isBoolean()) {
        bool = true;
      } else {
        other = true;
      }
    }
  }
}
