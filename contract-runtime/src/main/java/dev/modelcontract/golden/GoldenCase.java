package dev.modelcontract.golden;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request and the response the model must give, computed outside the server (in Python, by hand).
 *
 * <p>File form: {@code {"description": "...", "request": {"input_1": ...}, "response": {"output_1": ...}}}, and
 * optionally {@code "tolerance": 1e-4}, the case's own tolerance in place of the one every other case is held
 * to. Both objects are decoded when the file is loaded, so a pair that is not made of named tensors fails there,
 * naming its file.
 *
 * @param name the file name without {@code .json}
 * @param description what the case exercises
 * @param requestBody the request, as the bytes to send
 * @param response the expected outputs
 * @param tolerance the case's own tolerance, relative to {@code 1 + |expected|}; empty to take the caller's
 */
public record GoldenCase(String name, String description, byte[] requestBody, Map<String, Tensor> response,
    OptionalDouble tolerance) {

  /** The folder of golden pairs inside a serving image's model directory. */
  public static final String FOLDER = "golden";

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** Every {@code *.json} file of the folder, in name order; none when the folder does not exist. */
  public static List<GoldenCase> loadAll(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    List<GoldenCase> cases = new ArrayList<>();
    for (Path file : files) {
      cases.add(load(file));
    }
    return cases;
  }

  /** @throws IOException naming the file when it is not JSON or its request or response is not named tensors */
  public static GoldenCase load(Path file) throws IOException {
    String name = file.getFileName().toString().replaceFirst("\\.json$", "");
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    JsonNode request = root.get("request");
    JsonNode response = root.get("response");
    if (request == null || !request.isObject() || response == null || !response.isObject()) {
      throw new IOException(file + " must hold the objects \"request\" and \"response\"");
    }
    JsonNode tolerance = root.get("tolerance");
    if (tolerance != null && !(tolerance.isNumber() && tolerance.asDouble() > 0 && tolerance.asDouble() < 1)) {
      throw new IOException(file + ": \"tolerance\" must be a number between 0 and 1, relative to 1 + |expected|"
          + " (e.g. 1e-4), not " + tolerance);
    }
    byte[] requestBody = JSON.writeValueAsBytes(request);
    decode(file, "request", requestBody);
    return new GoldenCase(name, root.path("description").asString(name), requestBody,
        decode(file, "response", JSON.writeValueAsBytes(response)),
        tolerance == null ? OptionalDouble.empty() : OptionalDouble.of(tolerance.asDouble()));
  }

  /** The tolerance this case is held to: its own, or the one given for every case. */
  public double toleranceOr(double everyCase) {
    return tolerance.orElse(everyCase);
  }

  /**
   * The request decoded afresh on each call, by the given reader (a contract's, to get its dtypes): serving a
   * request consumes its arrays (they are normalized in place), so each use needs its own copy.
   *
   * @throws TensorFormatException when the request is not a JSON object of named tensors
   * @throws ContractViolation when the request does not meet the reader's dtypes
   */
  public Map<String, Tensor> request(JsonTensorReader reader) throws TensorFormatException, ContractViolation {
    try {
      return reader.read(new ByteArrayInputStream(requestBody));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail to read
    }
  }

  private static Map<String, Tensor> decode(Path file, String part, byte[] json) throws IOException {
    try {
      return new JsonTensorReader().read(new ByteArrayInputStream(json));
    } catch (TensorFormatException e) {
      throw new IOException(file + ": the " + part + " at /" + part + e.pointer() + " is not a tensor: "
          + e.getMessage(), e);
    } catch (ContractViolation e) {
      throw new IllegalStateException("a reader without dtypes refuses no value", e);
    }
  }
}
