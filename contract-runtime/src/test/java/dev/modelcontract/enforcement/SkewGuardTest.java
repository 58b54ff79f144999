package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.SampleRequests;
import dev.modelcontract.validation.SkewedRequests;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The skew guard's refusals, read through binding as the server reads them: what each names (the input, the feature
 * by name, its median's distance, the training statistics, the diagnosis), a min-max input in another unit, and
 * values that are not finite where the input allows them.
 */
class SkewGuardTest {

  private static final long SEED = 20261205;
  private static final int ROWS = 8;
  private static final int STEPS = 20;

  @Test
  void closeInCentsIsDiagnosedAsItsOwnUnitNamingTheFeatureItsDistanceAndItsStatistics() throws Exception {
    ContractModel lstm = example(ExampleModel.LSTM_TWO_INPUTS, false);
    Map<String, Tensor> request = draw(lstm.contract(), ROWS, new Random(SEED));
    float[] input1 = (float[]) request.get("input_1").array();
    float[] closes = new float[ROWS * STEPS];
    for (int i = 0; i < closes.length; i++) {
      input1[4 * i + 3] *= 100; // close, the last of open, low, high, close: in cents
      closes[i] = input1[4 * i + 3];
    }
    // the median of 160 values: the mean of the middle two; close's training mean 100, std 12
    Arrays.sort(closes);
    double distance = ((closes[79] + (double) closes[80]) / 2 - 100) / 12;

    SkewViolation refused = refusal(lstm, request);

    assertThat(refused.input()).isEqualTo("input_1");
    assertThat(refused.pointer()).isEqualTo("/input_1");
    assertThat(refused.feature()).isEqualTo("close");
    assertThat(refused.shift()).isCloseTo(distance, within(1e-3 * distance));
    assertThat(refused.diagnosis()).isEqualTo(SkewGuard.Diagnosis.SCALED);
    assertThat(refused.getMessage())
        .startsWith("input 'input_1': close (feature 3) has its median +" + SkewGuard.number(refused.shift())
            + " training standard deviations from the training mean over this request's 160 values (training mean"
            + " 100.0, std 12.0; the contract's skew limit is 8)")
        .contains("; close (feature 3) looks 100× the training scale: divided by 100 the request fits the training"
            + " statistics more than 10^300 times better; check the unit upstream");
    assertThat(distance).as("close ×100 lies hundreds of std out").isGreaterThan(700);
  }

  @Test
  void alreadyNormalizedAndSwappedRequestsAreDiagnosedInWords() throws Exception {
    ContractModel lstm = example(ExampleModel.LSTM_TWO_INPUTS, false);
    Map<String, Tensor> request = draw(lstm.contract(), ROWS, new Random(SEED));

    SkewViolation normalized = refusal(lstm, SkewedRequests.of(lstm.contract(),
        SkewedRequests.Kind.ALREADY_NORMALIZED, request).orElseThrow().request());
    SkewViolation swapped = refusal(lstm, SkewedRequests.of(lstm.contract(), SkewedRequests.Kind.FEATURES_SWAPPED,
        request).orElseThrow().request());

    // every input normalized: input_1 is judged first; each of its features, read raw, lies about -8 to -9 std
    // from its mean (mean / std: 101.5 / 12.5 = 8.1, 99.25 / 11 = 9.0, 102.75 / 13.25 = 7.8, 100 / 12 = 8.3)
    assertThat(normalized.input()).isEqualTo("input_1");
    assertThat(normalized.diagnosis()).isEqualTo(SkewGuard.Diagnosis.ALREADY_NORMALIZED);
    assertThat(normalized.feature()).isEqualTo("low");
    assertThat(normalized.shift()).isCloseTo(-9, within(0.2));
    assertThat(normalized.getMessage()).startsWith("input 'input_1': low (feature 1) has its median -")
        .contains("(training mean 99.25, std 11.0;")
        .contains("; these values look already normalized: read as normalized values (mean 0, std 1 in training's"
            + " units) the request fits the training statistics 10^")
        .endsWith("send raw values, the server normalizes them as training did");

    // input_2's volume (mean 15000) and spread (mean 0.5) exchanged: spread reads thousands of std out
    assertThat(swapped.input()).isEqualTo("input_2");
    assertThat(swapped.diagnosis()).isEqualTo(SkewGuard.Diagnosis.FEATURES_SWAPPED);
    assertThat(swapped.feature()).isEqualTo("spread");
    assertThat(swapped.getMessage()).startsWith("input 'input_2': spread (feature 1) has its median +")
        .contains("(training mean 0.5, std 0.25;")
        .contains("; volume (feature 0) and spread (feature 1) look swapped: with the two exchanged the request fits"
            + " the training statistics more than 10^300 times better; send the features in the contract's order"
            + " [volume, spread]");
  }

  @Test
  void aRequestNoMistakeExplainsIsRefusedByTheLimitAloneAndSaysSo() throws Exception {
    ContractModel lstm = example(ExampleModel.LSTM_TWO_INPUTS, false);
    Map<String, Tensor> request = draw(lstm.contract(), 1, new Random(SEED)); // one sequence of 20 steps
    float[] input1 = (float[]) request.get("input_1").array();
    for (int i = 3; i < input1.length; i += 4) {
      input1[i] = -2; // close at (-2 - 100) / 12 = -8.5 std: past the limit of 8
    }
    // No mistake fits one sequence much better: read as 10× too small close is -0.2, 8.35 std out; as swapped with
    // high (std 13.25), high would be -7.9 std out: gains of a few units of log-likelihood, short of ln(10^4) = 9.2.
    // (Eight such sequences weigh more: there the swap with high gains enough and is the diagnosis.)

    SkewViolation refused = refusal(lstm, request);

    assertThat(refused.feature()).isEqualTo("close");
    assertThat(refused.shift()).isEqualTo(-8.5);
    assertThat(refused.diagnosis()).isEqualTo(SkewGuard.Diagnosis.NONE);
    assertThat(refused.getMessage()).isEqualTo("input 'input_1': close (feature 3) has its median -8.5 training"
        + " standard deviations from the training mean over this request's 20 values (training mean 100.0, std"
        + " 12.0; the contract's skew limit is 8); no known mistake (already normalized values, swapped features,"
        + " another unit) explains it: check what the caller sends, or raise skew.limit if such values are real");
  }

  @Test
  void aMinMaxInputInAThousandTimesItsUnitIsRefusedAsScaled() throws Exception {
    ContractModel guarded = example(ExampleModel.TWO_ARGS_DICT, true);
    Map<String, Tensor> request = draw(guarded.contract(), ROWS, new Random(SEED));
    assertThatCode(() -> guarded.bind(copy(request))).as("drawn from the range").doesNotThrowAnyException();
    float[] volume = (float[]) request.get("volume").array();
    for (int i = 0; i < volume.length; i++) {
      volume[i] *= 1000;
    }
    float[] sorted = volume.clone();
    Arrays.sort(sorted);
    // min-max over [0, 50000]: the middle 25000, a quarter of the range 12500 as one std
    double distance = ((sorted[79] + (double) sorted[80]) / 2 - 25_000) / 12_500;

    SkewViolation refused = refusal(guarded, request);

    assertThat(refused.input()).isEqualTo("volume");
    assertThat(refused.feature()).isEqualTo("volume");
    assertThat(refused.diagnosis()).isEqualTo(SkewGuard.Diagnosis.SCALED);
    assertThat(refused.shift()).isCloseTo(distance, within(1e-3 * distance));
    assertThat(refused.getMessage()).startsWith("input 'volume': volume (feature 0) has its median +")
        .contains("(training range [0.0, 50000.0]; for min-max scaling a quarter of the range counts as one"
            + " standard deviation; the contract's skew limit is 8)")
        .contains("; volume (feature 0) looks 1000× the training scale: divided by 1000 the request fits");
  }

  @Test
  void valuesThatAreNotFiniteAreLeftOutOfTheMedianAndAnInputOfNaNOnlyPasses() {
    ContractModel model = nonFinite();
    float nan = Float.NaN;
    // a: five finite values, their median 1.5; with NaN and infinity counted (sorted last) it would be 50.75 or
    // 100, far past the limit of 8
    Map<String, Tensor> request = rows(
        0.5f, 0, 1, 0, 1.5f, 0, 100, 0, 100, 0, nan, 0, nan, 0, Float.POSITIVE_INFINITY, 0);
    assertThatCode(() -> model.bind(request)).doesNotThrowAnyException();

    // the same left out where the finite values are far: the count names the finite values (a's five)
    SkewViolation refused = refusal(model, rows(
        20, 0, 20, 0, 20, 0, 20, 0, 20, 0, nan, 0, nan, 0, Float.NEGATIVE_INFINITY, 0));
    assertThat(refused.feature()).isEqualTo("a");
    assertThat(refused.shift()).isEqualTo(20);
    assertThat(refused.getMessage()).contains("a (feature 0) has its median +20 training standard deviations from"
        + " the training mean over this request's 5 values (training mean 0.0, std 1.0;");

    assertThatCode(() -> model.bind(rows(nan, nan, nan, nan, nan, nan))).as("NaN only: nothing to judge")
        .doesNotThrowAnyException();
  }

  /** x of rows of two features, a and b, from the values given row by row. */
  private static Map<String, Tensor> rows(float... values) {
    Map<String, Tensor> request = new LinkedHashMap<>();
    request.put("x", new FloatTensor(new long[] {values.length / 2, 2}, values));
    return request;
  }

  /** One standardized input of two features (mean 0, std 1) that allows NaN and infinities, guarded. */
  private static ContractModel nonFinite() {
    try {
      return ContractModel.withoutModel(TestContracts.read("""
          version: 1
          model: {file: model.pt}
          dims:
            batch: {max: 16}
          batch:
            dim: batch
          skew: {refuse: true}
          inputs:
            - name: x
              dtype: float32
              shape: [batch, 2]
              features: [a, b]
              allowNonFinite: true
              normalize: {mean: [0, 0], std: [1, 1]}
          forward:
            arguments:
              - input: x
            returns: tuple
          outputs:
            - name: y
              index: 0
              dtype: float32
              shape: [batch, 1]
          """), bound -> Map.of());
    } catch (dev.modelcontract.contract.ContractException e) {
      throw new AssertionError(e);
    }
  }

  /** The example's contract served without its model; {@code guard} turns the skew guard on where it is off. */
  private static ContractModel example(ExampleModel example, boolean guard) throws Exception {
    String yaml = Files.readString(example.modelDir().resolve("model-contract.yaml"));
    if (guard) {
      assertThat(yaml).as("%s refuses no skew yet", example.folder()).doesNotContain("refuse: true");
      yaml += "\nskew: {refuse: true}\n";
    }
    ModelContract contract = TestContracts.read(yaml);
    assertThat(contract.inputs()).allMatch(input -> input.skew().orElseThrow().refuse());
    return ContractModel.withoutModel(contract, bound -> Map.of());
  }

  /** {@code rows} sequences of STEPS steps of every input, drawn from the training statistics. */
  private static Map<String, Tensor> draw(ModelContract contract, int rows, Random random) {
    Map<String, Tensor> request = new LinkedHashMap<>();
    for (InputSpec input : contract.inputs()) {
      request.put(input.name(), SampleRequests.valueOf(input, new long[] {rows, STEPS, input.features().size()},
          random));
    }
    return request;
  }

  private static SkewViolation refusal(ContractModel model, Map<String, Tensor> request) {
    SkewViolation refused = catchThrowableOfType(SkewViolation.class, () -> model.bind(copy(request)));
    assertThat(refused).as("refused as skew").isNotNull();
    return refused;
  }

  /** Binding normalizes in place: every check binds a copy. */
  private static Map<String, Tensor> copy(Map<String, Tensor> request) {
    Map<String, Tensor> copy = new LinkedHashMap<>();
    request.forEach((name, tensor) -> copy.put(name, Tensor.of(tensor.shape(), ((float[]) tensor.array()).clone())));
    return copy;
  }
}
