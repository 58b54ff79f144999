package dev.modelcontract.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.tensors.FloatTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The example model repo (examples/lstm-two-inputs) the runtime's tests run against: its folders and golden pairs. */
public final class ExampleModel {

  public static final Path DIR = Path.of(System.getProperty("examples.dir", "../examples"), "lstm-two-inputs");
  public static final Path MODEL_DIR = DIR.resolve("model");
  public static final Path GOLDEN_DIR = DIR.resolve("golden");
  /** The plugin's default tolerance, which the example's image is verified with. */
  public static final double TOLERANCE = 1e-4;

  private ExampleModel() {}

  public static List<GoldenCase> goldenCases() {
    try {
      List<GoldenCase> cases = GoldenCase.loadAll(GOLDEN_DIR);
      assertThat(cases).as("golden files in %s", GOLDEN_DIR).isNotEmpty();
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static GoldenCase golden(String name) {
    try {
      return GoldenCase.load(GOLDEN_DIR.resolve(name + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Same names, same shapes, every value within {@link #TOLERANCE}, by the rule the plugin verifies images with. */
  public static void assertMatchesGolden(Map<String, FloatTensor> actual, GoldenCase golden) {
    assertThat(TensorComparison.differences(golden.response(), actual, TOLERANCE)).as("golden %s", golden.name())
        .isEmpty();
  }
}
