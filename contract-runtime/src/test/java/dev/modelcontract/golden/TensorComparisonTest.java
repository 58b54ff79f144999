package dev.modelcontract.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.tensors.BooleanTensor;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.StringTensor;
import dev.modelcontract.tensors.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TensorComparisonTest {

  private static final double TOLERANCE = 1e-4;

  private static FloatTensor tensor(long[] shape, float... values) {
    return new FloatTensor(shape, values);
  }

  private static FloatTensor vector(float... values) {
    return tensor(new long[] {values.length}, values);
  }

  private static StringTensor labels(String... values) {
    return new StringTensor(new long[] {values.length}, values);
  }

  private static List<String> differences(Map<String, Tensor> expected, Map<String, Tensor> actual) {
    return TensorComparison.differences(expected, actual, TOLERANCE);
  }

  @Test
  void valuesWithinToleranceRelativeToOnePlusTheExpectedAgree() {
    // allowed: 1e-4 * (1 + |expected|): 2e-4 at 1, 1.01e-2 at 100, 1e-4 at 0
    Map<String, Tensor> expected = Map.of("out", vector(1f, 100f, 0f));
    Map<String, Tensor> actual = Map.of("out", vector(1.00015f, 100.009f, -0.00009f));

    assertThat(differences(expected, actual)).isEmpty();
  }

  @Test
  void valuesBeyondToleranceAreCountedWithTheFirstIndexAndTheLargestDifference() {
    // numbers are compared, and printed, as doubles: 1.1f is 1.100000023841858
    Map<String, Tensor> expected = Map.of("out", tensor(new long[] {2, 2}, 0f, 1f, 2f, 3f));
    Map<String, Tensor> actual = Map.of("out", tensor(new long[] {2, 2}, 0f, 1.1f, 2f, 3.5f));

    assertThat(differences(expected, actual)).containsExactly("output 'out': 2 of 4 values differ beyond tolerance"
        + " 1.0e-04; first at flat index 1: expected 1.0, got 1.100000023841858; largest difference 0.500");
  }

  @Test
  void justBeyondTheRelativeToleranceIsADifference() {
    Map<String, Tensor> expected = Map.of("out", vector(100f));
    Map<String, Tensor> actual = Map.of("out", vector(100.011f));

    assertThat(differences(expected, actual)).singleElement().asString()
        .startsWith("output 'out': 1 of 1 values differ beyond tolerance 1.0e-04; first at flat index 0");
  }

  @Test
  void notANumberNeverAgrees() {
    Map<String, Tensor> expected = Map.of("out", vector(1f, 2f));
    Map<String, Tensor> actual = Map.of("out", vector(1f, Float.NaN));

    assertThat(differences(expected, actual)).singleElement().asString()
        .startsWith("output 'out': 1 of 2 values differ beyond tolerance 1.0e-04; first at flat index 1: expected 2.0,"
            + " got NaN");
  }

  @Test
  void sameValuesInAnotherShapeAreAShapeDifference() {
    Map<String, Tensor> expected = Map.of("out", vector(1f, 2f));
    Map<String, Tensor> actual = Map.of("out", tensor(new long[] {1, 2}, 1f, 2f));

    assertThat(differences(expected, actual)).containsExactly("output 'out' has shape [1, 2], expected [2]");
  }

  @Test
  void missingAndUnexpectedOutputsAreEachReported() {
    Map<String, Tensor> expected = new LinkedHashMap<>();
    expected.put("output_1", vector(1f));
    expected.put("output_2", vector(2f));
    Map<String, Tensor> actual = new LinkedHashMap<>();
    actual.put("output_1", vector(1f));
    actual.put("extra", vector(3f));

    assertThat(differences(expected, actual))
        .containsExactly("unexpected output 'extra'", "output 'output_2' is missing");
  }

  @Test
  void everyOutputIsComparedNotOnlyTheFirstThatDiffers() {
    Map<String, Tensor> expected = new LinkedHashMap<>();
    expected.put("output_1", vector(1f));
    expected.put("output_2", vector(2f));
    Map<String, Tensor> actual = new LinkedHashMap<>();
    actual.put("output_1", vector(5f));
    actual.put("output_2", tensor(new long[] {1, 1}, 2f));

    assertThat(differences(expected, actual)).containsExactly(
        "output 'output_1': 1 of 1 values differ beyond tolerance 1.0e-04; first at flat index 0: expected 1.0, got"
            + " 5.0; largest difference 4.00",
        "output 'output_2' has shape [1, 1], expected [1]");
  }

  @Test
  void numbersOfDifferentStorageCompareByValue() {
    Map<String, Tensor> expected = Map.of("ids", new DoubleTensor(new long[] {2}, new double[] {3, -7}),
        "p", new DoubleTensor(new long[] {1}, new double[] {0.1}));
    Map<String, Tensor> actual = Map.of("ids", new LongTensor(new long[] {2}, new long[] {3, -7}),
        "p", vector(0.1f));

    assertThat(differences(expected, actual)).isEmpty();
  }

  @Test
  void labelsMustBeEqualExactly() {
    Map<String, Tensor> expected = Map.of("topic", labels("sports", "science", "arts"));
    Map<String, Tensor> actual = Map.of("topic", labels("sports", "politics", "Arts"));

    assertThat(differences(expected, actual)).containsExactly(
        "output 'topic': 2 of 3 values differ; first at flat index 1: expected science, got politics");
    assertThat(differences(expected, Map.of("topic", labels("sports", "science", "arts")))).isEmpty();
  }

  @Test
  void booleansMustBeEqualExactly() {
    Map<String, Tensor> expected = Map.of("mask", new BooleanTensor(new long[] {2}, new boolean[] {true, false}));
    Map<String, Tensor> actual = Map.of("mask", new BooleanTensor(new long[] {2}, new boolean[] {true, true}));

    assertThat(differences(expected, actual)).containsExactly(
        "output 'mask': 1 of 2 values differ; first at flat index 1: expected false, got true");
  }

  @Test
  void labelsWhereNumbersWereExpectedAreAKindDifference() {
    assertThat(differences(Map.of("topic", labels("arts")), Map.of("topic", vector(3f))))
        .containsExactly("output 'topic' holds numbers, expected labels");
    assertThat(differences(Map.of("m", new BooleanTensor(new long[] {1}, new boolean[] {true})),
        Map.of("m", labels("true")))).containsExactly("output 'm' holds labels, expected booleans");
  }
}
