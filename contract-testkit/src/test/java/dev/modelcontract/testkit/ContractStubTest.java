package dev.modelcontract.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.Check;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The in-process stub of each example contract, built from the contract and golden pairs alone: it passes the
 * whole conformance suite (golden pairs, valid requests in every format, every refusal), answers golden requests in
 * any format with their golden responses, and the typed client talks to it with Java arrays.
 */
class ContractStubTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));

  /**
   * A user's three-input model, docs/testing.md's: a store id per sequence (shape [batch], so a single value
   * unbatched), a history of T days of three features, a calendar row; a dict of two outputs.
   */
  private static final String STORES = """
      version: 1
      model:
        file: model.pt
      dims:
        batch: {min: 1, max: 64}
        T: {min: 1, max: 512}
      batch:
        dim: batch
        unbatchedRequests: true
      inputs:
        - name: store_id
          dtype: int64
          shape: [batch]
          range: {min: 0, max: 999}
        - name: history
          dtype: float32
          shape: [batch, T, 3]
        - name: calendar
          dtype: float32
          shape: [batch, 5]
      forward:
        arguments:
          - input: store_id
          - input: history
          - input: calendar
        returns: dict
      outputs:
        - name: demand
          key: demand
          dtype: float32
          shape: [batch, 7]
        - name: stockout
          key: stockout
          dtype: float32
          shape: [batch]
      """;

  @TempDir
  Path dir;

  private static ContractStub stub(String example) throws Exception {
    Path repo = EXAMPLES.resolve(example);
    return ContractStub.start(repo.resolve("model").resolve(ContractReader.FILE_NAME), repo.resolve("golden"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"lstm-two-inputs", "two-args-dict", "token-classifier", "house-prices"})
  void passesTheWholeConformanceSuiteWithoutTheModel(String example) throws Exception {
    Path golden = EXAMPLES.resolve(example).resolve("golden");
    try (ContractStub stub = stub(example)) {
      ConformanceSuite suite = ConformanceSuite.of(stub.contract()).withGolden(GoldenCase.loadAll(golden))
          .withSeed(11);
      List<Check> checks = suite.run(stub.client());

      assertThat(checks).hasSize(suite.cases().size());
      assertThat(checks).filteredOn(check -> !check.passed()).as(Check.summary(checks)).isEmpty();
      assertThat(suite.cases()).extracting(ConformanceSuite.Case::kind)
          .contains(ConformanceSuite.Kind.GOLDEN, ConformanceSuite.Kind.VALID, ConformanceSuite.Kind.REFUSAL);
    }
  }

  @Test
  void validRequestsGoInEveryFormatTheContractAllows() throws Exception {
    try (ContractStub houses = stub("house-prices"); ContractStub lstm = stub("lstm-two-inputs")) {
      assertThat(formats(houses)).containsExactly("application/json", "application/jsonlines",
          "application/x-npz", "application/x-npy", "text/csv");
      assertThat(formats(lstm)).containsExactly("application/json", "application/jsonlines", "application/x-npz");
    }
  }

  private static List<String> formats(ContractStub stub) {
    return ConformanceSuite.of(stub.contract()).cases().stream()
        .filter(suiteCase -> suiteCase.kind() == ConformanceSuite.Kind.VALID && suiteCase.name().contains(" at the "))
        .map(suiteCase -> suiteCase.name().split(" ")[3]).distinct().toList();
  }

  @Test
  void answersAGoldenRequestWithItsGoldenResponseInAnyFormat() throws Exception {
    GoldenCase pair = GoldenCase.load(EXAMPLES.resolve("lstm-two-inputs/golden/batched.json"));
    try (ContractStub stub = stub("lstm-two-inputs")) {
      Map<String, Tensor> request = pair.request(JsonTensorReader.forInputs(stub.contract()));
      Map<String, Tensor> answer = stub.client().invoke(request, RequestFormat.NPZ);

      assertThat(answer.keySet()).containsExactly("output_1", "output_2");
      // the golden numbers as float32 (the model's dtype): zero tolerance, not the golden check's 1e-5
      assertThat(TensorComparison.differences(pair.response(), answer, 0)).isEmpty();
    }
  }

  @Test
  void typedClientSendsJavaArraysAndGetsTheDeclaredOutputsOfTheirShapes() throws Exception {
    try (ContractStub stub = stub("lstm-two-inputs")) {
      // at the training means: zeros would be refused 422 input-skew, read as already normalized
      float[][][] prices = filled(3, 5, 101.5f, 99.25f, 102.75f, 100.0f);
      float[][][] volumes = filled(3, 5, 15000.0f, 0.5f);
      Map<String, Tensor> batched = stub.client().request().with("input_1", prices).with("input_2", volumes)
          .invoke(RequestFormat.JSON_LINES);
      Map<String, Tensor> unbatched = stub.client().request().with("input_1", prices[0]).with("input_2", volumes[0])
          .invoke();

      assertThat(shapes(batched)).containsExactly(Map.entry("output_1", List.of(3L, 1L)),
          Map.entry("output_2", List.of(3L, 3L)));
      assertThat(shapes(unbatched)).containsExactly(Map.entry("output_1", List.of(1L)),
          Map.entry("output_2", List.of(3L)));
      // a model returning zeros, through the contract's de-normalization: output_1's mean
      assertThat((float[]) batched.get("output_1").array()).containsOnly(100.0f);
    }
  }

  @Test
  void typedClientSendsASingleValueForAnInputOfShapeBatchInAnUnbatchedRequestInEveryFormat() throws Exception {
    try (ContractStub stub = stores()) {
      Map<String, Tensor> unbatched = stub.client().request().with("store_id", 17L).with("history", new float[4][3])
          .with("calendar", new float[5]).invoke();
      Map<String, Tensor> asNpz = stub.client().request().with("store_id", 17).with("history", new float[4][3])
          .with("calendar", new float[5]).invoke(RequestFormat.NPZ);
      Map<String, Tensor> batched = stub.client().request().with("store_id", new long[] {17, 18})
          .with("history", new float[2][4][3]).with("calendar", new float[2][5]).invoke(RequestFormat.JSON_LINES);

      assertThat(stub.client().request().with("store_id", 17L).inputs().get("store_id").shape()).isEmpty();
      assertThat(shapes(unbatched)).containsExactly(Map.entry("demand", List.of(7L)), Map.entry("stockout", List.of()));
      assertThat(shapes(asNpz)).isEqualTo(shapes(unbatched));
      assertThat(shapes(batched)).containsExactly(Map.entry("demand", List.of(2L, 7L)),
          Map.entry("stockout", List.of(2L)));
    }
  }

  @Test
  void aSingleValueBesideBatchedInputsIsRefusedNamingTheFirstBatchedOne() throws Exception {
    try (ContractStub stub = stores()) {
      ContractClient.InvocationFailed refused = catchThrowableOfType(ContractClient.InvocationFailed.class,
          () -> stub.client().request().with("store_id", 17L).with("history", new float[1][4][3])
              .with("calendar", new float[1][5]).invoke());

      assertThat(refused.answer().status()).isEqualTo(422);
      assertThat(refused.answer().problemType()).isEqualTo("contract-violation");
      assertThat(refused.answer().problem().path("input").asString()).isEqualTo("history");
      assertThatThrownBy(() -> stub.client().request().with("store_id", 0.5f))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("input 'store_id' is int64, and a float value cannot hold it");
    }
  }

  @Test
  void refusalsOfTheTestingGuideAreAnsweredAsItSays() throws Exception {
    try (ContractStub stub = stores()) {
      Answer tooLong = catchThrowableOfType(ContractClient.InvocationFailed.class,
          () -> stub.client().request().with("store_id", 17L).with("history", new float[513][3])
              .with("calendar", new float[5]).invoke()).answer();
      Answer withoutCalendar = stub.client().request().with("store_id", 17L).with("history", new float[28][3])
          .send(RequestFormat.JSON);

      assertThat(tooLong.status()).isEqualTo(422);
      assertThat(tooLong.problemType()).isEqualTo("contract-violation");
      assertThat(tooLong.problem().path("input").asString()).isEqualTo("history");
      assertThat(tooLong.problem().path("actual").asString()).isEqualTo("T = 513");
      assertThat(withoutCalendar.status()).isEqualTo(422);
      assertThat(withoutCalendar.problem().path("input").asString()).isEqualTo("calendar");
    }
  }

  @Test
  void theThreeInputStubRefusesEveryDimOutOfItsBoundsAndInputsDisagreeingOnTheBatch() throws Exception {
    try (ContractStub stub = stores()) {
      ConformanceSuite suite = ConformanceSuite.of(stub.contract()).withSeed(3);
      List<Check> checks = suite.run(stub.client());

      assertThat(checks).filteredOn(check -> !check.passed()).as(Check.summary(checks)).isEmpty();
      assertThat(checks).extracting(Check::name).contains(
          "refuses 'history' with batch = 3 where 'store_id' has 2 with 422",
          "refuses 'store_id', 'history' and 'calendar' with batch = 65, one over its max (1 <= batch <= 64) with 422",
          "refuses 'history' with T = 513, one over its max (1 <= T <= 512) with 422");
    }
  }

  private ContractStub stores() throws Exception {
    return ContractStub.start(Files.writeString(dir.resolve(ContractReader.FILE_NAME), STORES), dir.resolve("golden"));
  }

  @Test
  void stubAnswersLabelsAndProbabilitiesThroughTheContractsOutputMapping() throws Exception {
    try (ContractStub stub = stub("token-classifier")) {
      Map<String, Tensor> answer = stub.client().request().with("tokens", new long[][] {{1, 2, 3}, {4, 5, 6}})
          .invoke();

      assertThat((String[]) answer.get("topic").array()).containsExactly("sports", "sports");
      assertThat((float[]) answer.get("scores").array()).containsOnly(0.25f);
    }
  }

  @Test
  void typedClientRefusesUnknownInputsAndArraysOfAnotherDtypeBeforeSending() throws Exception {
    try (ContractStub stub = stub("token-classifier")) {
      assertThatThrownBy(() -> stub.client().request().with("token", new long[] {1}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the contract has no input 'token'; its inputs are [tokens, mask]");
      assertThatThrownBy(() -> stub.client().request().with("tokens", new float[] {1}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("input 'tokens' is int64, and a float array cannot hold it");
      assertThatThrownBy(() -> stub.client().request().with("mask", new boolean[][] {{true}, {true, false}}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("input 'mask': the rows of the array differ in length");
    }
  }

  @Test
  void refusalsComeBackAsTheImagesProblemsThroughTheClient() throws Exception {
    try (ContractStub stub = stub("lstm-two-inputs")) {
      ContractClient.InvocationFailed refused = catchThrowableOfType(ContractClient.InvocationFailed.class,
          () -> stub.client().request().with("input_1", new float[2][5][4]).invoke());

      assertThat(refused.answer().status()).isEqualTo(422);
      assertThat(refused.answer().problemType()).isEqualTo("contract-violation");
      assertThat(refused.answer().problem().path("input").asString()).isEqualTo("input_2");
    }
  }

  /** {@code batch} sequences of {@code steps} rows, each the same. */
  private static float[][][] filled(int batch, int steps, float... row) {
    float[][][] values = new float[batch][steps][];
    for (float[][] sequence : values) {
      Arrays.setAll(sequence, step -> row.clone());
    }
    return values;
  }

  private static Map<String, List<Long>> shapes(Map<String, Tensor> tensors) {
    return tensors.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        entry -> Arrays.stream(entry.getValue().shape()).boxed().toList(), (a, b) -> a,
        LinkedHashMap::new));
  }
}
