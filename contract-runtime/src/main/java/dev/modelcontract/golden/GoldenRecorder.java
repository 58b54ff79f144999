package dev.modelcontract.golden;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.tensors.JsonForm;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.RequestBody;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records golden pairs from request files by running the model in-process: each request, checked against the
 * contract and served as the image serves it, is written with the response as {@code golden/NAME.json}.
 */
public final class GoldenRecorder {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final ContractModel model;
  private final JsonTensorWriter writer = new JsonTensorWriter();

  public GoldenRecorder(ContractModel model) {
    this.model = model;
  }

  /**
   * Records every {@code *.json} request of the folder, in name order.
   *
   * @return the golden files written
   * @throws RecordingFailed when a request breaks the contract or the model fails on it, or a pair of that name
   *     exists and may not be replaced; nothing is written then
   */
  public List<Path> record(Path requests, Path golden, boolean overwrite) throws IOException, RecordingFailed {
    List<Path> files;
    try (Stream<Path> list = Files.list(requests)) {
      files = list.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    List<Map.Entry<Path, byte[]>> pairs = new ArrayList<>();
    for (Path file : files) {
      Path target = golden.resolve(file.getFileName());
      if (Files.exists(target) && !overwrite) {
        throw new RecordingFailed(target + " exists; set modelcontract.record.overwrite to replace it");
      }
      pairs.add(Map.entry(target, pair(file)));
    }
    Files.createDirectories(golden);
    List<Path> written = new ArrayList<>();
    for (Map.Entry<Path, byte[]> pair : pairs) {
      Files.write(pair.getKey(), pair.getValue());
      written.add(pair.getKey());
    }
    return written;
  }

  private byte[] pair(Path file) throws IOException, RecordingFailed {
    byte[] body = Files.readAllBytes(file);
    Map<String, Tensor> response;
    try {
      RequestBody request = model.requestReader().readRequest(body, 0, body.length);
      if (request.envelope().form() != JsonForm.NAMED) {
        throw new RecordingFailed(file + " is in the " + request.envelope().form() + " form; golden pairs hold requests of named"
            + " inputs, {\"input_1\": ..., \"input_2\": ...}");
      }
      response = model.predict(request.tensors());
    } catch (TensorFormatException | ContractViolation e) {
      throw new RecordingFailed(file + " is not a request this contract takes: " + e.getMessage());
    } catch (OutputMismatch | ModelFailure e) {
      throw new RecordingFailed("the model failed on " + file + ": " + e.getMessage());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(response, out);
    ObjectNode pair = JSON.createObjectNode();
    String name = file.getFileName().toString().replaceFirst("\\.json$", "");
    pair.put("description", name + " (recorded from the model by the record goal: review before committing)");
    pair.set("request", JSON.readTree(body));
    pair.set("response", JSON.readTree(out.toByteArray()));
    return (JSON.writeValueAsString(pair) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** A request that cannot be recorded. */
  public static final class RecordingFailed extends Exception {
    public RecordingFailed(String message) {
      super(message);
    }
  }
}
