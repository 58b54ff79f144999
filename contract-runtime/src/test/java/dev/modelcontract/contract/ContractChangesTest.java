package dev.modelcontract.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.inference.ExampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
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
        .replace("mean: [101.5, 99.25, 102.75, 100.0]", "mean: [101.5, 99.25, 102.75, 100.0, 1.0]")
        .replace("std: [12.5, 11.0, 13.25, 12.0]", "std: [12.5, 11.0, 13.25, 12.0, 1.0]"), true))
        .contains("BREAKING input 'input_1' axis 2 changed from 4 to 5: sizes the released contract accepted are"
            + " refused");
  }

  @Test
  void aRangeAddedOrNarrowedBreaksAndOneWidenedOrRemovedIsAdditive() throws ContractException {
    String ranged = released.replace("    shape: [batch, T, 2]\n", "    shape: [batch, T, 2]\n    range: {min: 0}\n");

    assertThat(changes(ranged, false)).containsExactly("BREAKING input 'input_2' range changed from none to at"
        + " least 0: values callers sent are refused");
    assertThat(ContractChanges.between(read(ranged), read(ranged.replace("range: {min: 0}",
        "range: {min: 0, max: 100}")), false)).extracting(ContractChanges.Change::toString).containsExactly(
        "BREAKING input 'input_2' range changed from at least 0 to from 0 to 100: values callers sent are refused");
    assertThat(ContractChanges.between(read(ranged), read(ranged.replace("range: {min: 0}", "range: {min: -5}")),
        false)).extracting(ContractChanges.Change::toString).containsExactly(
        "additive input 'input_2' range changed from at least 0 to at least -5");
    assertThat(ContractChanges.between(read(ranged), read(released), false))
        .extracting(ContractChanges.Change::toString).containsExactly(
        "additive input 'input_2' range changed from at least 0 to none");
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
}
