package dev.modelcontract.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.GoldenReplay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The example model repos under examples/ the runtime's tests run against: their folders and golden pairs. */
public enum ExampleModel {
  /** Two inputs concatenated into one argument; returns a tuple; standardization in and out. */
  LSTM_TWO_INPUTS("lstm-two-inputs"),
  /** Two positional arguments, min-max scaling; returns a dict read twice (labels and softmax). */
  TWO_ARGS_DICT("two-args-dict"),
  /** int64 tokens and an optional bool mask; returns one tensor read as labels and as softmax. */
  TOKEN_CLASSIFIER("token-classifier"),
  /** One input of rows of six features, one output: what CSV and .npy requests can carry. */
  HOUSE_PRICES("house-prices");

  /** The plugin's default tolerance, which the examples' images are verified with. */
  public static final double TOLERANCE = GoldenReplay.DEFAULT_TOLERANCE;

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));

  private final String folder;

  ExampleModel(String folder) {
    this.folder = folder;
  }

  /** The folder's name, e.g. {@code lstm-two-inputs}. */
  public String folder() {
    return folder;
  }

  public Path dir() {
    return EXAMPLES.resolve(folder);
  }

  /** The model directory: model.pt and model-contract.yaml. */
  public Path modelDir() {
    return dir().resolve("model");
  }

  /**
   * A copy of the model directory in {@code target} whose contract leaves out every input's range: what reaches
   * the model then is whatever the dtype allows.
   */
  public Path withoutRange(Path target) throws IOException {
    Files.copy(modelDir().resolve("model.pt"), target.resolve("model.pt"));
    String contract = Files.readString(modelDir().resolve("model-contract.yaml"));
    String rangeless = contract.replaceAll("\n *range: \\{[^}]*\\}[^\n]*", "");
    if (rangeless.equals(contract)) {
      throw new IllegalStateException(folder + "'s contract has no range to leave out");
    }
    Files.writeString(target.resolve("model-contract.yaml"), rangeless);
    return target;
  }

  /**
   * A copy of the model directory in {@code target} whose contract observes skew but refuses none: the example's
   * {@code skew: {refuse: true}} turned off.
   */
  public Path withoutSkewGuard(Path target) throws IOException {
    Files.copy(modelDir().resolve("model.pt"), target.resolve("model.pt"));
    String contract = Files.readString(modelDir().resolve("model-contract.yaml"));
    String observed = contract.replace("refuse: true", "refuse: false");
    if (observed.equals(contract)) {
      throw new IllegalStateException(folder + "'s contract has no skew guard to turn off");
    }
    Files.writeString(target.resolve("model-contract.yaml"), observed);
    return target;
  }

  /** Golden requests as numpy and CSV write them (scripts/generate_*.py), answered by the golden response. */
  public Path requestsDir() {
    return dir().resolve("requests");
  }

  public Path goldenDir() {
    return dir().resolve("golden");
  }

  public List<GoldenCase> goldenCases() {
    try {
      List<GoldenCase> cases = GoldenCase.loadAll(goldenDir());
      assertThat(cases).as("golden files in %s", goldenDir()).isNotEmpty();
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public GoldenCase golden(String name) {
    try {
      return GoldenCase.load(goldenDir().resolve(name + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Same names, same shapes, every value within {@link #TOLERANCE}, by the rule the plugin verifies images with. */
  public static void assertMatchesGolden(Map<String, ? extends Tensor> actual, GoldenCase golden) {
    assertThat(TensorComparison.differences(golden.response(), actual, TOLERANCE)).as("golden %s", golden.name())
        .isEmpty();
  }
}
