package dev.modelcontract.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ContractProblem;
import dev.modelcontract.contract.ContractReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractDryRunTest {

  private static ContractModel example;
  private static String exampleContract;

  @BeforeAll
  static void loadExample() throws Exception {
    example = ContractModel.load(ExampleModel.MODEL_DIR);
    exampleContract = Files.readString(ExampleModel.MODEL_DIR.resolve(ContractReader.FILE_NAME));
  }

  @AfterAll
  static void close() {
    if (example != null) {
      example.close();
    }
  }

  /** A model directory with the example's model.pt and the given contract text. */
  private static Path modelDirectory(Path dir, String contract) throws IOException {
    Files.copy(ExampleModel.MODEL_DIR.resolve("model.pt"), dir.resolve("model.pt"));
    Files.writeString(dir.resolve(ContractReader.FILE_NAME), contract);
    return dir;
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

  @Test
  void exampleMeetsItsContract() {
    ContractDryRun.Result result = ContractDryRun.run(example);

    assertThat(result.passed()).isTrue();
    assertThat(result.problems()).isEmpty();
    assertThat(result.outputs().keySet()).containsExactly("output_1", "output_2");
    assertThat(result.outputs().get("output_1").shape()).containsExactly(2, 1);
    assertThat(result.outputs().get("output_2").shape()).containsExactly(2, 3);
  }

  @Test
  void outputShapeThatDisagreesWithTheModelIsLocatedInTheContract(@TempDir Path dir) throws Exception {
    String contract = exampleContract.replace("shape: [batch, 3]", "shape: [batch, 4]");
    assertThat(contract).isNotEqualTo(exampleContract);
    Path directory = modelDirectory(dir, contract);

    ContractDryRun.Result result;
    try (ContractModel model = ContractModel.load(directory)) {
      result = ContractDryRun.run(model);
    }

    assertThat(result.passed()).isFalse();
    assertThat(result.outputs()).isEmpty();
    ContractProblem problem = result.problems().get(0);
    assertThat(result.problems()).hasSize(1);
    assertThat(problem.pointer()).isEqualTo("/outputs/1/shape/1");
    int line = lineOf(contract, "shape: [batch, 4]");
    assertThat(problem.location()).matches(".*model-contract\\.yaml:" + line + ":\\d+");
    assertThat(problem.location()).startsWith(directory.resolve(ContractReader.FILE_NAME).toString());
    assertThat(problem.message()).contains("output_2").contains("[batch, 4]").contains("[2, 3]");
  }

  @Test
  void contractThatFeedsTheModelTooFewFeaturesIsAProblemAtForward(@TempDir Path dir) throws Exception {
    int from = exampleContract.indexOf("  - name: input_2");
    int to = exampleContract.indexOf("forward:");
    String contract = (exampleContract.substring(0, from) + exampleContract.substring(to))
        .replace("concat: [input_1, input_2]", "concat: [input_1]");
    assertThat(contract).doesNotContain("input_2");
    Path directory = modelDirectory(dir, contract);

    ContractDryRun.Result result;
    try (ContractModel model = ContractModel.load(directory)) {
      assertThat(model.contract().inputNames()).containsExactly("input_1");
      result = ContractDryRun.run(model);
    }

    assertThat(result.passed()).isFalse();
    assertThat(result.problems()).hasSize(1);
    ContractProblem problem = result.problems().get(0);
    assertThat(problem.pointer()).isEqualTo("/forward");
    assertThat(problem.location()).matches(".*model-contract\\.yaml:\\d+:\\d+");
    int line = Integer.parseInt(problem.location().replaceAll(".*model-contract\\.yaml:(\\d+):\\d+", "$1"));
    assertThat(line).isBetween(lineOf(contract, "forward:"), lineOf(contract, "returns: tuple"));
    assertThat(problem.message()).contains("the model rejected inputs of the contract's shapes (input_1[2, 2, 4])");
  }
}
