package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.tensors.BooleanTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.StringTensor;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.GoldenReplay;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContractModelTest {

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

  private static ContractModel model(ExampleModel example) {
    return MODELS.get(example);
  }

  /** A request decoded the way the server decodes it: each input by its declared dtype. */
  private static Map<String, Tensor> request(ExampleModel example, String json) throws Exception {
    return model(example).requestReader().read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  static Stream<Arguments> goldenCases() {
    return Arrays.stream(ExampleModel.values()).flatMap(example -> example.goldenCases().stream()
        .map(golden -> Arguments.of(example, Named.of(example.folder() + "/" + golden.name(), golden))));
  }

  @Test
  void everyGoldenFileOfEveryExampleIsReplayed() {
    assertThat(goldenCases().map(arguments -> arguments.get()[1].toString())).containsExactlyInAnyOrder(
        "lstm-two-inputs/batched", "lstm-two-inputs/single-step", "lstm-two-inputs/unbatched",
        "two-args-dict/batched", "two-args-dict/min-length", "two-args-dict/unbatched",
        "token-classifier/batched-default-mask", "token-classifier/batched-mask",
        "token-classifier/unbatched-default-mask", "house-prices/batched", "house-prices/unbatched");
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("goldenCases")
  void goldenRequestGivesGoldenResponse(ExampleModel example, GoldenCase golden) throws Exception {
    ContractModel model = model(example);

    Map<String, Tensor> response = model.predict(golden.request(model.requestReader()));

    assertThat(TensorComparison.differences(golden.response(), response, ExampleModel.TOLERANCE))
        .as("golden %s", golden.name()).isEmpty();
  }

  @Test
  void requestsRunAsOneForwardPassGetTheRowsTheyGetAlone() throws Exception {
    ContractModel model = model(ExampleModel.LSTM_TWO_INPUTS);
    java.util.Random random = new java.util.Random(7);
    List<String> bodies = List.of(sequences(random, 0, 20), sequences(random, 2, 20), sequences(random, 0, 20),
        sequences(random, 3, 20));

    List<BoundRequest> together = new java.util.ArrayList<>();
    for (String body : bodies) {
      together.add(model.bind(request(ExampleModel.LSTM_TWO_INPUTS, body)));
    }
    assertThat(together.stream().map(RequestBatch::signature).distinct()).hasSize(1);
    List<Map<String, Tensor>> batched = model.run(together);

    for (int i = 0; i < bodies.size(); i++) {
      Map<String, Tensor> alone = model.predict(request(ExampleModel.LSTM_TWO_INPUTS, bodies.get(i)));
      assertThat(batched.get(i).keySet()).containsExactlyElementsOf(alone.keySet());
      for (String output : alone.keySet()) {
        assertThat(batched.get(i).get(output).shape()).as("request %d, %s", i, output)
            .containsExactly(alone.get(output).shape());
      }
      assertThat(TensorComparison.differences(alone, batched.get(i), GoldenReplay.DEFAULT_TOLERANCE))
          .as("request %d alone and in the batch, within the golden tolerance", i).isEmpty();
    }
  }

  @Test
  void valueThatOverflowsWhenStandardizedIsAContractViolation() throws Exception {
    // input_2's second feature has std 0.25: float32's largest value, finite in the request, is infinite scaled
    String body = "{\"input_1\": [[101.0, 99.5, 103.0, 100.5]], \"input_2\": [[15200.0, 3.4028235e38]]}";

    assertThatThrownBy(() -> model(ExampleModel.LSTM_TWO_INPUTS).bind(request(ExampleModel.LSTM_TWO_INPUTS, body)))
        .isInstanceOfSatisfying(ContractViolation.class, violation -> {
          assertThat(violation.input()).isEqualTo("input_2");
          assertThat(violation.pointer()).as("the request is unbatched: as sent").isEqualTo("/input_2/0/1");
          assertThat(violation.actual()).contains("overflows float when standardized");
        });
  }

  /** B sequences of T steps as JSON (B = 0: unbatched), values drawn around the example's training means. */
  private static String sequences(java.util.Random random, int batch, int steps) {
    StringBuilder one = new StringBuilder();
    StringBuilder two = new StringBuilder();
    for (int b = 0; b < Math.max(batch, 1); b++) {
      one.append(b > 0 ? "," : "").append(batch > 0 ? "[" : "");
      two.append(b > 0 ? "," : "").append(batch > 0 ? "[" : "");
      for (int t = 0; t < steps; t++) {
        one.append(t > 0 ? "," : "").append(String.format(java.util.Locale.ROOT, "[%.3f,%.3f,%.3f,%.3f]",
            100 + 12 * random.nextGaussian(), 99 + 11 * random.nextGaussian(), 103 + 13 * random.nextGaussian(),
            100 + 12 * random.nextGaussian()));
        two.append(t > 0 ? "," : "").append(String.format(java.util.Locale.ROOT, "[%.1f,%.4f]",
            15000 + 4000 * random.nextGaussian(), 0.5 + 0.25 * random.nextGaussian()));
      }
      one.append(batch > 0 ? "]" : "");
      two.append(batch > 0 ? "]" : "");
    }
    return "{\"input_1\": [" + one + "], \"input_2\": [" + two + "]}";
  }

  @Test
  void unbatchedRequestIsAnsweredWithoutTheBatchAxis() throws Exception {
    ContractModel model = model(ExampleModel.LSTM_TWO_INPUTS);

    Map<String, Tensor> response =
        model.predict(ExampleModel.LSTM_TWO_INPUTS.golden("unbatched").request(model.requestReader()));

    assertThat(response.keySet()).containsExactly("output_1", "output_2");
    assertThat(response.get("output_1").shape()).containsExactly(1);
    assertThat(response.get("output_2").shape()).containsExactly(3);
  }

  @Test
  void predictIsRepeatable() throws Exception {
    ContractModel model = model(ExampleModel.LSTM_TWO_INPUTS);
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");

    Map<String, Tensor> first = model.predict(golden.request(model.requestReader()));
    Map<String, Tensor> second = model.predict(golden.request(model.requestReader()));

    assertThat(((FloatTensor) second.get("output_1")).values())
        .containsExactly(((FloatTensor) first.get("output_1")).values());
    assertThat(((FloatTensor) second.get("output_2")).values())
        .containsExactly(((FloatTensor) first.get("output_2")).values());
  }

  @Test
  void requestThatBreaksTheContractNeverReachesTheModel() throws Exception {
    ContractModel model = model(ExampleModel.LSTM_TWO_INPUTS);
    Map<String, Tensor> request = ExampleModel.LSTM_TWO_INPUTS.golden("batched").request(model.requestReader());
    request.remove("input_2");

    assertThatThrownBy(() -> model.predict(request))
        .isInstanceOfSatisfying(ContractViolation.class, e -> {
          assertThat(e.input()).isEqualTo("input_2");
          assertThat(e.expected()).isEqualTo("an array of shape [batch, T, 2] or [T, 2]");
        });
  }

  @Test
  void requestReaderDecodesEachInputByItsDeclaredDType() throws Exception {
    Map<String, Tensor> request = request(ExampleModel.TOKEN_CLASSIFIER,
        "{\"tokens\": [[1, 2]], \"mask\": [[true, false]]}");

    assertThat(((LongTensor) request.get("tokens")).values()).containsExactly(1L, 2L);
    assertThat(((BooleanTensor) request.get("mask")).values()).containsExactly(true, false);
  }

  @Test
  void omittedOptionalMaskAnswersAsAnAllTrueMask() throws Exception {
    Map<String, Tensor> omitted = model(ExampleModel.TOKEN_CLASSIFIER).predict(request(ExampleModel.TOKEN_CLASSIFIER,
        "{\"tokens\": [[3, 14, 15, 9], [2, 6, 5, 35]]}"));
    Map<String, Tensor> allTrue = model(ExampleModel.TOKEN_CLASSIFIER).predict(request(ExampleModel.TOKEN_CLASSIFIER,
        "{\"tokens\": [[3, 14, 15, 9], [2, 6, 5, 35]], \"mask\": [[true, true, true, true], [true, true, true, true]]}"));
    Map<String, Tensor> masked = model(ExampleModel.TOKEN_CLASSIFIER).predict(request(ExampleModel.TOKEN_CLASSIFIER,
        "{\"tokens\": [[3, 14, 15, 9], [2, 6, 5, 35]], \"mask\": [[true, false, false, false], [true, true, true, true]]}"));

    assertThat(TensorComparison.differences(allTrue, omitted, 0)).isEmpty();
    assertThat(((FloatTensor) masked.get("scores")).values()[0])
        .isNotEqualTo(((FloatTensor) omitted.get("scores")).values()[0]);
  }

  @Test
  void labelsAndSoftmaxReadTheSameReturnedTensor() throws Exception {
    ContractModel model = model(ExampleModel.TWO_ARGS_DICT);
    List<String> labels = List.of("bear", "flat", "bull");

    Map<String, Tensor> response = model.predict(ExampleModel.TWO_ARGS_DICT.golden("batched").request(model.requestReader()));

    assertThat(response.keySet()).containsExactly("forecast", "regime", "regime_probability");
    StringTensor regime = (StringTensor) response.get("regime");
    float[] probability = ((FloatTensor) response.get("regime_probability")).values();
    for (int row = 0; row < regime.values().length; row++) {
      int best = 0;
      for (int i = 1; i < 3; i++) {
        best = probability[3 * row + i] > probability[3 * row + best] ? i : best;
      }
      assertThat(regime.values()[row]).as("row %d", row).isEqualTo(labels.get(best));
      assertThat(probability[3 * row] + probability[3 * row + 1] + probability[3 * row + 2])
          .isCloseTo(1f, within(1e-6f));
    }
  }

  @Test
  void tokenOutsideTheContractsRangeIsAViolationAtItsPositionBeforeTheModel() {
    assertThatThrownBy(() -> model(ExampleModel.TOKEN_CLASSIFIER).predict(
        request(ExampleModel.TOKEN_CLASSIFIER, "{\"tokens\": [[1, 2], [3, 50]]}")))
        .isInstanceOfSatisfying(ContractViolation.class, violation -> {
          assertThat(violation.input()).isEqualTo("tokens");
          assertThat(violation.pointer()).isEqualTo("/tokens/1/1");
          assertThat(violation.getMessage()).isEqualTo("'tokens' at /tokens/1/1: expected values from 0 to 49 (the"
              + " contract's range), but got 50");
          assertThat(violation.actual()).isEqualTo("50");
        });
  }

  @Test
  void tokenBeyondTheVocabularyOfAContractWithoutRangeIsAModelFailureNotAViolation(@TempDir Path dir)
      throws Exception {
    try (ContractModel rangeless = ContractModel.load(ExampleModel.TOKEN_CLASSIFIER.withoutRange(dir))) {
      assertThatThrownBy(() -> rangeless.predict(rangeless.requestReader().read(
          new ByteArrayInputStream("{\"tokens\": [[1, 50]]}".getBytes(StandardCharsets.UTF_8)))))
          .isInstanceOf(ModelFailure.class)
          .hasMessage("the model failed in forward: RuntimeError: index out of range in self");
    }
  }

  @Test
  void missingModelFileIsAContractProblemAtModelFile(@TempDir Path dir) throws Exception {
    Files.copy(ExampleModel.LSTM_TWO_INPUTS.modelDir().resolve("model-contract.yaml"),
        dir.resolve("model-contract.yaml"));

    assertThatThrownBy(() -> ContractModel.load(dir))
        .isInstanceOfSatisfying(ContractException.class, e -> assertThat(e.problems()).singleElement()
            .satisfies(p -> {
              assertThat(p.pointer()).isEqualTo("/model/file");
              assertThat(p.location()).startsWith(dir.resolve("model-contract.yaml") + ":7:");
              assertThat(p.message()).contains("cannot be loaded");
            }));
  }

  @Test
  void defaultThatDoesNotFitItsInputFailsTheLoadAtTheDefault(@TempDir Path dir) throws Exception {
    Path example = ExampleModel.TOKEN_CLASSIFIER.modelDir();
    Files.copy(example.resolve("model.pt"), dir.resolve("model.pt"));
    String contract = Files.readString(example.resolve("model-contract.yaml"));
    assertThat(contract).contains("default: true ");
    Files.writeString(dir.resolve("model-contract.yaml"), contract.replace("default: true ", "default: 1    "));

    assertThatThrownBy(() -> ContractModel.load(dir))
        .isInstanceOfSatisfying(ContractException.class, e -> assertThat(e.problems()).singleElement()
            .satisfies(p -> {
              assertThat(p.pointer()).isEqualTo("/inputs/1/default");
              assertThat(p.location()).startsWith(dir.resolve("model-contract.yaml") + ":"
                  + (contract.lines().takeWhile(line -> !line.contains("default: true")).count() + 1) + ":");
              assertThat(p.message()).isEqualTo("the default of input 'mask' is not a valid bool value: 'mask' at /mask:"
                  + " expected true or false, but got the value 1");
            }));
  }
}
