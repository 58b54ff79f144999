package dev.modelcontract.verify;

import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request and the response the model must give, computed outside the server (in Python, by hand).
 *
 * <p>File form: {@code {"description": "...", "request": {"input_1": ...}, "response": {"output_1": ...}}}.
 *
 * @param name the file name without {@code .json}
 * @param description what the case exercises
 * @param requestBody the request, as the bytes to send
 * @param response the expected outputs
 */
public record GoldenCase(String name, String description, byte[] requestBody, Map<String, FloatTensor> response) {

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

  public static GoldenCase load(Path file) throws IOException {
    String name = file.getFileName().toString().replaceFirst("\\.json$", "");
    try {
      JsonNode root = JSON.readTree(file.toFile());
      JsonNode request = root.get("request");
      JsonNode response = root.get("response");
      if (request == null || !request.isObject() || response == null || !response.isObject()) {
        throw new IOException(file + " must hold the objects \"request\" and \"response\"");
      }
      Map<String, FloatTensor> expected = new JsonTensorReader().read(
          new ByteArrayInputStream(JSON.writeValueAsBytes(response)));
      return new GoldenCase(name, root.path("description").asString(name), JSON.writeValueAsBytes(request),
          expected);
    } catch (JacksonException e) {
      throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (TensorFormatException e) {
      throw new IOException(file + ": the response at " + e.pointer() + " is not a tensor: " + e.getMessage(), e);
    }
  }
}
