package dev.modelcontract.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractProblem;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.StringTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContractDryRunTest {

  private static final Map<ExampleModel, ContractModel> MODELS = new EnumMap<>(ExampleModel.class);

  @BeforeAll
  static void loadExamples() throws ContractException {
    for (ExampleModel example : ExampleModel.values()) {
      MODELS.put(example, ContractModel.load(example.modelDir()));
    }
  }

  @AfterAll
  static void close() {
    MODELS.values().forEach(ContractModel::close);
  }

  private static String contractOf(ExampleModel example) throws IOException {
    return Files.readString(example.modelDir().resolve(ContractReader.FILE_NAME));
  }

  /** A model directory with the example's model.pt and the given contract text. */
  private static Path modelDirectory(Path dir, ExampleModel example, String contract) throws IOException {
    Files.copy(example.modelDir().resolve("model.pt"), dir.resolve("model.pt"));
    Files.writeString(dir.resolve(ContractReader.FILE_NAME), contract);
    return dir;
  }

  /** The example's contract with one edit, which must change it. */
  private static String edited(ExampleModel example, String from, String to) throws IOException {
    String original = contractOf(example);
    String contract = original.replace(from, to);
    assertThat(contract).as("the edit %s -> %s", from, to).isNotEqualTo(original);
    return contract;
  }

  private static ContractDryRun.Result dryRun(Path directory) throws ContractException {
    try (ContractModel model = ContractModel.load(directory)) {
      return ContractDryRun.run(model);
    }
  }

  /** The single problem of a failed dry run, located in the directory's contract on the line holding the needle. */
  private static ContractProblem onlyProblem(ContractDryRun.Result result, Path directory, String needle)
      throws IOException {
    assertThat(result.passed()).isFalse();
    assertThat(result.outputs()).isEmpty();
    assertThat(result.problems()).hasSize(1);
    ContractProblem problem = result.problems().get(0);
    Path file = directory.resolve(ContractReader.FILE_NAME);
    assertThat(problem.location()).startsWith(file + ":" + lineOf(Files.readString(file), needle) + ":");
    return problem;
  }

  private static int lineOf(String text, String needle) {
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(needle)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line holds " + needle);
  }

  static Stream<Arguments> examplesAndTheirSizes() {
    return Stream.of(
        Arguments.of(ExampleModel.LSTM_TWO_INPUTS, List.of("{input_1[2, 2, 4], input_2[2, 2, 2]}",
            "{input_1[1, 1, 4], input_2[1, 1, 2]}", "{input_1[64, 512, 4], input_2[64, 512, 2]}")),
        Arguments.of(ExampleModel.TWO_ARGS_DICT, List.of("{prices[2, 2, 3], volume[2, 2, 1]}",
            "{prices[1, 2, 3], volume[1, 2, 1]}", "{prices[32, 128, 3], volume[32, 128, 1]}")),
        Arguments.of(ExampleModel.TOKEN_CLASSIFIER, List.of("{tokens[2, 2]}", "{tokens[1, 1]}", "{tokens[16, 64]}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examplesAndTheirSizes")
  void exampleMeetsItsContractAtTypicalMinimumAndMaximumSizes(ExampleModel example, List<String> cases) {
    ContractDryRun.Result result = ContractDryRun.run(MODELS.get(example));

    assertThat(result.passed()).isTrue();
    assertThat(result.problems()).isEmpty();
    assertThat(result.cases()).containsExactlyElementsOf(cases);
    assertThat(result.outputs().keySet()).containsExactlyElementsOf(MODELS.get(example).contract().outputNames());
  }

  @Test
  void typicalOutputsAreTheMappedResponse() {
    Map<String, ?> outputs = ContractDryRun.run(MODELS.get(ExampleModel.TOKEN_CLASSIFIER)).outputs();

    assertThat(outputs.get("topic")).isInstanceOfSatisfying(StringTensor.class,
        topic -> assertThat(topic.shape()).containsExactly(2));
    assertThat(ContractDryRun.run(MODELS.get(ExampleModel.LSTM_TWO_INPUTS)).outputs().get("output_2").shape())
        .containsExactly(2, 3);
  }

  @Test
  void outputShapeThatDisagreesWithTheModelIsLocatedInTheContract(@TempDir Path dir) throws Exception {
    Path directory = modelDirectory(dir, ExampleModel.LSTM_TWO_INPUTS,
        edited(ExampleModel.LSTM_TWO_INPUTS, "shape: [batch, 3]", "shape: [batch, 4]"));

    ContractDryRun.Result result = dryRun(directory);

    ContractProblem problem = onlyProblem(result, directory, "shape: [batch, 4]");
    assertThat(problem.pointer()).isEqualTo("/outputs/1/shape/1");
    assertThat(problem.message()).isEqualTo("output 'output_2' is declared [batch, 4], but the model returned shape"
        + " [2, 3] (axis 1 should be 4), with typical sizes {input_1[2, 2, 4], input_2[2, 2, 2]}");
    assertThat(problem.suggestion()).isEqualTo("correct the contract or re-export the model");
    assertThat(result.cases()).containsExactly("{input_1[2, 2, 4], input_2[2, 2, 2]}");
  }

  @Test
  void outputDTypeThatDisagreesWithTheModelIsLocatedAtTheDType(@TempDir Path dir) throws Exception {
    String original = contractOf(ExampleModel.LSTM_TWO_INPUTS);
    int output = original.indexOf("- name: output_1");
    String contract = original.substring(0, output)
        + original.substring(output).replaceFirst("dtype: float32", "dtype: float64");
    Path directory = modelDirectory(dir, ExampleModel.LSTM_TWO_INPUTS, contract);

    ContractProblem problem = onlyProblem(dryRun(directory), directory, "dtype: float64");

    assertThat(problem.pointer()).isEqualTo("/outputs/0/dtype");
    assertThat(problem.message()).isEqualTo("output 'output_1' is declared float64, but the model returned float32,"
        + " with typical sizes {input_1[2, 2, 4], input_2[2, 2, 2]}");
  }

  @Test
  void outputKeyTheModelDoesNotReturnNamesTheReturnedKeys(@TempDir Path dir) throws Exception {
    Path directory = modelDirectory(dir, ExampleModel.TWO_ARGS_DICT,
        edited(ExampleModel.TWO_ARGS_DICT, "key: forecast", "key: prediction"));

    ContractProblem problem = onlyProblem(dryRun(directory), directory, "key: prediction");

    assertThat(problem.pointer()).isEqualTo("/outputs/0/key");
    assertThat(problem.message()).isEqualTo("output 'forecast' reads the key 'prediction', but the model returned a"
        + " dict with the keys 'forecast', 'regime', with typical sizes {prices[2, 2, 3], volume[2, 2, 1]}");
  }

  @Test
  void featureSizeTheModelRejectsIsAProblemAtForwardNamingTheSizesTried(@TempDir Path dir) throws Exception {
    // input_2 declared with 3 features: the contract is consistent, but the concat gives the model 7, not 6
    String contract = edited(ExampleModel.LSTM_TWO_INPUTS, "shape: [batch, T, 2]", "shape: [batch, T, 3]")
        .replace("mean: [15000.0, 0.5]", "mean: [15000.0, 0.5, 0.0]")
        .replace("std: [4000.0, 0.25]", "std: [4000.0, 0.25, 1.0]")
        .replace("features: [volume, spread]", "features: [volume, spread, trades]");
    Path directory = modelDirectory(dir, ExampleModel.LSTM_TWO_INPUTS, contract);

    ContractDryRun.Result result = dryRun(directory);

    assertThat(result.problems()).hasSize(1);
    ContractProblem problem = result.problems().get(0);
    assertThat(problem.pointer()).isEqualTo("/forward");
    assertThat(problem.location()).matches(".*model-contract\\.yaml:\\d+:\\d+");
    int line = Integer.parseInt(problem.location().replaceAll(".*model-contract\\.yaml:(\\d+):\\d+", "$1"));
    assertThat(line).isBetween(lineOf(contract, "forward:"), lineOf(contract, "returns: tuple"));
    assertThat(problem.message()).isEqualTo("the model rejected inputs of the contract's shapes, typical sizes"
        + " {input_1[2, 2, 4], input_2[2, 2, 3]}: the model failed in forward: builtins.RuntimeError:"
        + " input.size(-1) must be equal to input_size. Expected 6, got 7");
    assertThat(problem.suggestion()).isEqualTo("make the inputs' shapes, dtypes and forward arguments match what"
        + " the model's forward expects");
  }

  @Test
  void contractThatFeedsTheModelTooFewFeaturesIsAProblemAtForward(@TempDir Path dir) throws Exception {
    String original = contractOf(ExampleModel.LSTM_TWO_INPUTS);
    int from = original.indexOf("  - name: input_2");
    int to = original.indexOf("forward:");
    String contract = (original.substring(0, from) + original.substring(to))
        .replace("concat: [input_1, input_2]", "concat: [input_1]");
    assertThat(contract).doesNotContain("input_2");
    Path directory = modelDirectory(dir, ExampleModel.LSTM_TWO_INPUTS, contract);

    ContractDryRun.Result result;
    try (ContractModel model = ContractModel.load(directory)) {
      assertThat(model.contract().inputNames()).containsExactly("input_1");
      result = ContractDryRun.run(model);
    }

    assertThat(result.passed()).isFalse();
    assertThat(result.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.pointer()).isEqualTo("/forward");
      assertThat(problem.message())
          .startsWith("the model rejected inputs of the contract's shapes, typical sizes {input_1[2, 2, 4]}: ");
    });
  }

  @Test
  void statisticsOfTheWrongLengthFailTheLoadAtTheirLine(@TempDir Path dir) throws Exception {
    Path directory = modelDirectory(dir, ExampleModel.LSTM_TWO_INPUTS,
        edited(ExampleModel.LSTM_TWO_INPUTS, "mean: [15000.0, 0.5]", "mean: [15000.0, 0.5, 1.0]"));
    Path file = directory.resolve(ContractReader.FILE_NAME);

    ContractException e = catchThrowableOfType(ContractException.class, () -> ContractModel.load(directory));

    assertThat(e).isNotNull();
    assertThat(e.file()).isEqualTo(file.toString());
    assertThat(e.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.pointer()).isEqualTo("/inputs/1/normalize/mean");
      assertThat(problem.location())
          .startsWith(file + ":" + lineOf(Files.readString(file), "mean: [15000.0, 0.5, 1.0]") + ":");
      assertThat(problem.message()).isEqualTo("input 'input_2' has 2 features on axis 2 but 3 values of mean");
    });
  }
}
