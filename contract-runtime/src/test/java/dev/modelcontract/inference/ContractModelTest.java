package dev.modelcontract.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.enforcement.ContractViolation;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.tensors.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ContractModelTest {

  private static ContractModel model;

  @BeforeAll
  static void loadExample() throws ContractException {
    model = ContractModel.load(ExampleModel.MODEL_DIR);
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
  }

  static Stream<Named<GoldenCase>> goldenCases() {
    return ExampleModel.goldenCases().stream().map(golden -> Named.of(golden.name(), golden));
  }

  @Test
  void everyGoldenFileOfTheExampleIsReplayed() {
    assertThat(ExampleModel.goldenCases()).extracting(GoldenCase::name)
        .contains("batched", "single-step", "unbatched");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void goldenRequestGivesGoldenResponse(GoldenCase golden) throws Exception {
    Map<String, FloatTensor> response = model.predict(golden.request());

    ExampleModel.assertMatchesGolden(response, golden);
  }

  @Test
  void unbatchedRequestIsAnsweredWithoutTheBatchAxis() throws Exception {
    Map<String, FloatTensor> response = model.predict(ExampleModel.golden("unbatched").request());

    assertThat(response.keySet()).containsExactly("output_1", "output_2");
    assertThat(response.get("output_1").shape()).containsExactly(1);
    assertThat(response.get("output_2").shape()).containsExactly(3);
  }

  @Test
  void predictIsRepeatable() throws Exception {
    GoldenCase golden = ExampleModel.golden("batched");

    Map<String, FloatTensor> first = model.predict(golden.request());
    Map<String, FloatTensor> second = model.predict(golden.request());

    assertThat(second.get("output_1").values()).containsExactly(first.get("output_1").values());
    assertThat(second.get("output_2").values()).containsExactly(first.get("output_2").values());
  }

  @Test
  void requestThatBreaksTheContractNeverReachesTheModel() {
    Map<String, FloatTensor> request = ExampleModel.golden("batched").request();
    request.remove("input_2");

    assertThatThrownBy(() -> model.predict(request))
        .isInstanceOfSatisfying(ContractViolation.class, e -> {
          assertThat(e.input()).isEqualTo("input_2");
          assertThat(e.expected()).contains("[batch, T, 2]");
        });
  }

  @Test
  void missingModelFileIsAContractProblemAtModelFile(@TempDir Path dir) throws Exception {
    Files.copy(ExampleModel.MODEL_DIR.resolve("model-contract.yaml"), dir.resolve("model-contract.yaml"));

    assertThatThrownBy(() -> ContractModel.load(dir))
        .isInstanceOfSatisfying(ContractException.class, e -> assertThat(e.problems()).singleElement()
            .satisfies(p -> {
              assertThat(p.pointer()).isEqualTo("/model/file");
              assertThat(p.location()).startsWith(dir.resolve("model-contract.yaml") + ":5:");
              assertThat(p.message()).contains("cannot be loaded");
            }));
  }
}
