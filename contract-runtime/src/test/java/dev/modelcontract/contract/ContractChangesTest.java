package dev.modelcontract.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.inference.ExampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Variants of examples/lstm-two-inputs' contract against the contract as released. */
class ContractChangesTest {

  private static String released;

  @BeforeAll
  static void readReleased() throws IOException {
    released = Files.readString(ExampleModel.LSTM_TWO_INPUTS.modelDir().resolve(ContractReader.FILE_NAME));
  }

  private static ModelContract read(String yaml) throws ContractException {
    return new ContractReader().read("model-contract.yaml",
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> changes(String current, boolean versionChanged) throws ContractException {
    return ContractChanges.between(read(released), read(current), versionChanged).stream()
        .map(ContractChanges.Change::toString).toList();
  }

  @Test
  void theSameContractHasNoChanges() throws ContractException {
    assertThat(changes(released, false)).isEmpty();
  }

  @Test
  void aRenamedInputIsRemovedAndAddedAndBothBreak() throws ContractException {
    assertThat(changes(released.replace("input_2", "volume"), true)).containsExactly(
        "BREAKING input 'input_2' was removed (renamed to 'volume'?): callers send it",
        "BREAKING input 'volume' was added and is required: callers of the released contract do not send it");
  }

  @Test
  void aChangedDtypeOrFeatureCountBreaks() throws ContractException {
    assertThat(changes(released.replace("    dtype: float32\n    shape: [batch, T,",
        "    dtype: float64\n    shape: [batch, T,"), false)).containsExactly(
        "BREAKING input 'input_1' dtype changed from float32 to float64",
        "BREAKING input 'input_2' dtype changed from float32 to float64");
    assertThat(changes(released.replace("shape: [batch, T, 4]", "shape: [batch, T, 5]")
        .replace("features: [open, low, high, close]", "features: [open, low, high, close, vwap]")
        .replace("mean: [101.5, 99.25, 102.75, 100.0]", "mean: [101.5, 99.25, 102.75, 100.0, 1.0]")
        .replace("std: [12.5, 11.0, 13.25, 12.0]", "std: [12.5, 11.0, 13.25, 12.0, 1.0]"), true))
        .contains("BREAKING input 'input_1' axis 2 changed from 4 to 5: sizes the released contract accepted are"
            + " refused");
  }

  @Test
  void reorderedOrRenamedFeaturesBreakAndNamingThemDoesNot() throws ContractException {
    assertThat(changes(released.replace("features: [open, low, high, close]", "features: [open, high, low, close]"),
        false)).containsExactly("BREAKING input 'input_1' features reordered from [open, low, high, close] to [open,"
            + " high, low, close]: callers send them in the old order");
    assertThat(changes(released.replace("features: [volume, spread]", "features: [volume, bid_ask]"), false))
        .containsExactly("BREAKING input 'input_2' features changed from [volume, spread] to [volume, bid_ask]:"
            + " callers send the old features");
    String unnamed = released.replace("    features: [volume, spread]\n", "");
    assertThat(read(unnamed).input("input_2").orElseThrow().features()).isEmpty();
    assertThat(changes(unnamed, false)).containsExactly("additive input 'input_2' no longer names its features");
  }

  @Test
  void aGuardTurnedOnOrTightenedBreaksAndTurnedOffDoesNot() throws ContractException {
    String observed = released.replace("  refuse: true ", "  refuse: false");
    assertThat(read(observed).inputs().get(0).skew().orElseThrow().refuse()).isFalse();
    assertThat(changes(observed, false)).containsExactly(
        "additive input 'input_1' skew guard turned off: such requests are served, and observed on /metrics",
        "additive input 'input_2' skew guard turned off: such requests are served, and observed on /metrics");
    assertThat(changes(released.replace("  refuse: true ", "  refuse: true\n  limit: 6"), false)).containsExactly(
        "BREAKING input 'input_1' skew guard tightened (limit 8.0 → 6.0, odds 10000.0 → 10000.0): requests far from"
            + " the training statistics that were served are refused 422 input-skew",
        "BREAKING input 'input_2' skew guard tightened (limit 8.0 → 6.0, odds 10000.0 → 10000.0): requests far from"
            + " the training statistics that were served are refused 422 input-skew");
  }

  @Test
  void aRangeAddedOrNarrowedBreaksAndOneWidenedOrRemovedIsAdditive() throws ContractException {
    String ranged = released.replace("    shape: [batch, T, 2]\n", "    shape: [batch, T, 2]\n    range: {min: 0}\n");

    assertThat(changes(ranged, false)).containsExactly("BREAKING input 'input_2' range was unbounded and is now at"
        + " least 0: values callers sent are refused");
    assertThat(ContractChanges.between(read(ranged), read(ranged.replace("range: {min: 0}",
        "range: {min: 0, max: 100}")), false)).extracting(ContractChanges.Change::toString).containsExactly(
        "BREAKING input 'input_2' range was at least 0 and is now from 0 to 100: values callers sent are refused");
    assertThat(ContractChanges.between(read(ranged), read(ranged.replace("range: {min: 0}", "range: {min: -5}")),
        false)).extracting(ContractChanges.Change::toString).containsExactly(
        "additive input 'input_2' range was at least 0 and is now at least -5");
    assertThat(ContractChanges.between(read(ranged), read(released), false))
        .extracting(ContractChanges.Change::toString).containsExactly(
        "additive input 'input_2' range was at least 0 and is now unbounded");
  }

  @Test
  void aNarrowedDimBreaksAndAWidenedOneIsAdditive() throws ContractException {
    assertThat(changes(released.replace("T: {min: 1, max: 512}", "T: {min: 1, max: 256}"), false))
        .containsExactly("BREAKING dim 'T' narrowed from 1 <= T <= 512 to 1 <= T <= 256");
    assertThat(changes(released.replace("T: {min: 1, max: 512}", "T: {min: 1, max: 1024}"), false))
        .containsExactly("additive dim 'T' widened from 1 <= T <= 512 to 1 <= T <= 1024");
  }

  @Test
  void aRemovedOutputBreaksAndAnAddedOneIsAdditive() throws ContractException {
    String withoutLogits = released.substring(0, released.indexOf("  - name: output_2"));
    assertThat(changes(withoutLogits, false))
        .containsExactly("BREAKING output 'output_2' was removed: callers read it");
    assertThat(ContractChanges.between(read(withoutLogits), read(released), false))
        .containsExactly(new ContractChanges.Change(false, "output 'output_2' was added"));
  }

  @Test
  void normalizationStatisticsMayChangeOnlyWithANewModelVersion() throws ContractException {
    String retrained = released.replace("mean: [15000.0, 0.5]", "mean: [15500.0, 0.5]");

    assertThat(changes(retrained, false)).containsExactly("BREAKING input 'input_2' normalize changed from mean"
        + " [15000.0, 0.5] std [4000.0, 0.25] to mean [15500.0, 0.5] std [4000.0, 0.25] without a new model version:"
        + " the same version would answer the same request differently");
    assertThat(changes(retrained, true)).containsExactly("additive input 'input_2' normalize changed from mean"
        + " [15000.0, 0.5] std [4000.0, 0.25] to mean [15500.0, 0.5] std [4000.0, 0.25] (with a new model version)");
  }

  @Test
  void refusingUnbatchedRequestsBreaks() throws ContractException {
    assertThat(changes(released.replace("unbatchedRequests: true", "unbatchedRequests: false"), false))
        .containsExactly("BREAKING unbatched requests are no longer accepted (batch.unbatchedRequests: false)");
  }

  @Test
  void anInputThatBecomesOptionalIsAdditiveAndOneThatLosesItsDefaultBreaks() throws ContractException {
    String optional = released.replace("    shape: [batch, T, 2]\n", "    shape: [batch, T, 2]\n    default: 0.0\n");

    assertThat(changes(optional, false)).containsExactly("additive input 'input_2' became optional (default 0.0)");
    assertThat(ContractChanges.between(read(optional), read(released), false)).extracting(Object::toString)
        .containsExactly("BREAKING input 'input_2' became required (its default was removed)");
  }

  @Test
  void aSingleNumberStatisticAndTheListItStandsForAreNoChange() throws ContractException {
    String scalar = released.replace("mean: [100.0]\n      std: [10.0]", "mean: 100\n      std: 10")
        .replace("std: [4000.0, 0.25]", "std: [4000.0, 0.25]\n      axis: -1");

    assertThat(scalar).isNotEqualTo(released).contains("mean: 100\n");
    assertThat(changes(scalar, false)).isEmpty();
    assertThat(changes(scalar.replace("mean: 100\n", "mean: 101\n"), false)).containsExactly("BREAKING output"
        + " 'output_1' denormalize changed from mean [100.0] std [10.0] to mean [101.0] std [10.0] without a new model"
        + " version: the same version would answer the same request differently");
  }

  /** A small contract with every field a change can touch. */
  private static final String BASE = """
      version: 1
      model: {file: net.pt}
      dims:
        batch: {max: 8}
        T: {min: 1, max: 16}
        S: {max: 32}
      batch: {dim: batch, unbatchedRequests: true}
      inputs:
        - {name: x, dtype: float32, shape: [batch, T, 2], allowNonFinite: true, normalize: {mean: [0, 1], std: 2}}
        - {name: n, dtype: int64, shape: [batch, 3], range: {min: 0, max: 19}}
      forward: {arguments: [{input: x}, {input: n}], returns: tuple}
      outputs:
        - {name: y, index: 0, dtype: float32, shape: [batch, 1], denormalize: {mean: 100, std: 10}}
        - {name: c, index: 1, dtype: float32, shape: [batch, 3], labels: [a, b, c]}
        - {name: p, index: 1, dtype: float32, shape: [batch, 3], softmax: true}
      """;

  @Test
  void everyKindOfChangeReadsAsOneSentence() throws ContractException {
    Map<String, List<String>> cases = new LinkedHashMap<>();
    cases.put(BASE.replace("batch: {dim: batch, unbatchedRequests: true}\n", ""),
        List.of("BREAKING the batch axis 'batch' was removed: batched requests are refused"));
    cases.put(BASE.replace("unbatchedRequests: true", "unbatchedRequests: false"),
        List.of("BREAKING unbatched requests are no longer accepted (batch.unbatchedRequests: false)"));
    cases.put(BASE.replace("T: {min: 1, max: 16}", "T: {min: 2, max: 16}"),
        List.of("BREAKING dim 'T' narrowed from 1 <= T <= 16 to 2 <= T <= 16"));
    cases.put(BASE.replace("S: {max: 32}", "S: {}"), List.of("additive dim 'S' widened from 1 <= S <= 32 to S >= 1"));
    cases.put(BASE.replace("name: n", "name: m").replace("{input: n}", "{input: m}"), List.of(
        "BREAKING input 'n' was removed (renamed to 'm'?): callers send it",
        "BREAKING input 'm' was added and is required: callers of the released contract do not send it"));
    cases.put(BASE.replace("dtype: int64", "dtype: int32"),
        List.of("BREAKING input 'n' dtype changed from int64 to int32"));
    cases.put(BASE.replace("[batch, T, 2]", "[batch, 2]"),
        List.of("BREAKING input 'x' shape changed from [batch, T, 2] to [batch, 2] (rank 3 to 2)"));
    cases.put(BASE.replace("shape: [batch, 3], range", "shape: [batch, 4], range"),
        List.of("BREAKING input 'n' axis 1 changed from 3 to 4: sizes the released contract accepted are refused"));
    cases.put(BASE.replace("[batch, T, 2]", "[batch, S, 2]"),
        List.of("additive input 'x' axis 1 changed from T to S"));
    cases.put(BASE.replace("shape: [batch, 3], range", "shape: [batch, T], range"),
        List.of("additive input 'n' axis 1 changed from 3 to T (accepts every size it did)"));
    cases.put(BASE.replace("max: 19}", "max: 19}, default: 0"),
        List.of("additive input 'n' became optional (default 0)"));
    cases.put(BASE.replace("allowNonFinite: true, ", ""),
        List.of("BREAKING input 'x' no longer accepts NaN or infinities"));
    cases.put(BASE.replace("range: {min: 0, max: 19}", "range: {min: 0, max: 9}"), List.of(
        "BREAKING input 'n' range was from 0 to 19 and is now from 0 to 9: values callers sent are refused"));
    cases.put(BASE.replace(", range: {min: 0, max: 19}", ""),
        List.of("additive input 'n' range was from 0 to 19 and is now unbounded"));
    cases.put(BASE.replace("mean: [0, 1]", "mean: [0, 1.5]"), List.of("BREAKING input 'x' normalize changed from mean"
        + " [0.0, 1.0] std [2.0, 2.0] to mean [0.0, 1.5] std [2.0, 2.0] without a new model version: the same"
        + " version would answer the same request differently"));
    cases.put(BASE.replace(", normalize: {mean: [0, 1], std: 2}", ""), List.of("BREAKING input 'x' normalize changed"
        + " from mean [0.0, 1.0] std [2.0, 2.0] to none without a new model version: the same version would answer"
        + " the same request differently"));
    cases.put(BASE.replace("forward: {arguments: [{input: x}, {input: n}]", "forward: {arguments: [{input: x},"
        + " {input: n}, {input: k}]").replace("inputs:\n", "inputs:\n  - {name: k, dtype: bool, shape: [batch],"
        + " default: true}\n"), List.of("additive input 'k' was added, optional (default true)"));
    cases.put(BASE.replace("  - {name: c, index: 1, dtype: float32, shape: [batch, 3], labels: [a, b, c]}\n", ""),
        List.of("BREAKING output 'c' was removed: callers read it"));
    cases.put(BASE.replace("{name: y, index: 0, dtype: float32", "{name: y, index: 0, dtype: float64"),
        List.of("BREAKING output 'y' dtype changed from float32 to float64"));
    cases.put(BASE.replace("shape: [batch, 3], softmax", "shape: [batch, 4], softmax"),
        List.of("BREAKING output 'p' shape changed from [batch, 3] to [batch, 4]"));
    cases.put(BASE.replace("labels: [a, b, c]", "labels: [a, c, b]"),
        List.of("BREAKING output 'c' labels changed from [a, b, c] to [a, c, b]"));
    cases.put(BASE.replace("softmax: true", "softmax: false"),
        List.of("BREAKING output 'p' is no longer answered as probabilities (softmax)"));
    cases.put(BASE.replace("mean: 100, std: 10", "mean: 100, std: 20"), List.of("BREAKING output 'y' denormalize"
        + " changed from mean [100.0] std [10.0] to mean [100.0] std [20.0] without a new model version: the same"
        + " version would answer the same request differently"));
    cases.put(BASE + "  - {name: z, index: 0, dtype: float32, shape: [batch, 1]}\n",
        List.of("additive output 'z' was added"));

    List<String> every = new ArrayList<>();
    for (Map.Entry<String, List<String>> variant : cases.entrySet()) {
      List<String> found = ContractChanges.between(read(BASE), read(variant.getKey()), false).stream()
          .map(ContractChanges.Change::toString).toList();
      assertThat(found).as(variant.getKey()).containsExactlyElementsOf(variant.getValue());
      every.addAll(found);
      every.addAll(ContractChanges.between(read(variant.getKey()), read(BASE), true).stream()
          .map(ContractChanges.Change::toString).toList());
    }

    assertThat(every).contains(
        "BREAKING a batch axis 'batch' was added: every input and output gains an axis",
        "additive unbatched requests are accepted (batch.unbatchedRequests: true)",
        "additive dim 'T' widened from 2 <= T <= 16 to 1 <= T <= 16",
        "BREAKING dim 'S' narrowed from S >= 1 to 1 <= S <= 32",
        "BREAKING input 'n' became required (its default was removed)",
        "additive input 'x' accepts NaN and infinities",
        "BREAKING input 'n' range was unbounded and is now from 0 to 19: values callers sent are refused",
        "additive input 'n' range was from 0 to 9 and is now from 0 to 19",
        "additive input 'x' normalize changed from none to mean [0.0, 1.0] std [2.0, 2.0] (with a new model version)",
        "BREAKING input 'k' was removed: callers send it",
        "additive output 'c' was added",
        "BREAKING output 'p' is now answered as probabilities (softmax)",
        "BREAKING output 'z' was removed: callers read it");
    assertThat(every).allSatisfy(change -> assertThat(change).doesNotContainPattern("\\b(\\w+) \\1\\b"));
  }
}
