package dev.modelcontract.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One golden pair of the example model repo, {@code {"request": {...}, "response": {...}}}, decoded with the
 * runtime's own tensor reader.
 */
public record GoldenCase(String name, byte[] requestJson, byte[] responseJson) {

  public static final Path EXAMPLE = Path.of(System.getProperty("examples.dir", "../examples"), "lstm-two-inputs");
  public static final Path MODEL_DIR = EXAMPLE.resolve("model");
  public static final double TOLERANCE = 1e-4;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public static List<GoldenCase> all() {
    try (Stream<Path> files = Files.list(EXAMPLE.resolve("golden"))) {
      List<GoldenCase> cases = files.filter(file -> file.toString().endsWith(".json")).sorted().map(GoldenCase::load)
          .toList();
      assertThat(cases).as("golden files in %s", EXAMPLE).isNotEmpty();
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static GoldenCase named(String name) {
    return load(EXAMPLE.resolve("golden").resolve(name + ".json"));
  }

  private static GoldenCase load(Path file) {
    try {
      JsonNode root = JSON.readTree(Files.readAllBytes(file));
      String name = file.getFileName().toString().replaceFirst("\\.json$", "");
      return new GoldenCase(name, JSON.writeValueAsBytes(root.get("request")),
          JSON.writeValueAsBytes(root.get("response")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh decoding each call: predict consumes (normalizes) the request's arrays. */
  public Map<String, FloatTensor> request() {
    return decode(requestJson);
  }

  public Map<String, FloatTensor> response() {
    return decode(responseJson);
  }

  public static Map<String, FloatTensor> decode(byte[] json) {
    try {
      return new JsonTensorReader().read(new ByteArrayInputStream(json));
    } catch (TensorFormatException e) {
      throw new AssertionError("golden JSON does not decode at " + e.pointer() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Same names, same shapes, and every value within {@link #TOLERANCE} absolute or relative. */
  public static void assertMatches(Map<String, FloatTensor> actual, Map<String, FloatTensor> expected) {
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    expected.forEach((name, want) -> {
      FloatTensor got = actual.get(name);
      assertThat(got.shape()).as("shape of %s", name).containsExactly(want.shape());
      for (int i = 0; i < want.values().length; i++) {
        double g = got.values()[i];
        double w = want.values()[i];
        assertThat(Math.abs(g - w)).as("%s value %d: got %s, golden %s", name, i, g, w)
            .isLessThanOrEqualTo(TOLERANCE * Math.max(1.0, Math.abs(w)));
      }
    });
  }

  @Override
  public String toString() {
    return name;
  }
}
