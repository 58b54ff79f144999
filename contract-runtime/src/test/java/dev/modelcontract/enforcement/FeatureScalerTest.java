package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.Normalization;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.Tensor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureScalerTest {

  private static final FeatureScaler LAST_AXIS_STANDARDIZATION =
      new FeatureScaler(new Normalization.Standardization(List.of(1.0, 10.0), List.of(2.0, 5.0), -1));

  @Test
  void standardizesEachFeatureOfTheLastAxisWithItsOwnStatistics() {
    FloatTensor tensor = new FloatTensor(new long[] {3, 2}, new float[] {3f, 20f, 1f, 0f, -1f, 12.5f});

    LAST_AXIS_STANDARDIZATION.normalize(tensor);

    assertThat(tensor.values()).containsExactly(1f, 2f, 0f, -2f, -1f, 0.5f);
  }

  @Test
  void denormalizedIsACopyWithTheInverseApplied() {
    FloatTensor tensor = new FloatTensor(new long[] {3, 2}, new float[] {1f, 2f, 0f, -2f, -1f, 0.5f});

    Tensor inverse = LAST_AXIS_STANDARDIZATION.denormalized(tensor);

    assertThat(((FloatTensor) inverse).values()).containsExactly(3f, 20f, 1f, 0f, -1f, 12.5f);
    assertThat(inverse.shape()).containsExactly(3, 2);
    assertThat(tensor.values()).as("the model's tensor is left as it was").containsExactly(1f, 2f, 0f, -2f, -1f, 0.5f);
  }

  @Test
  void standardizationAlongAMiddleAxisScalesEachPositionOfThatAxis() {
    // [batch 2, features 3, T 2]: feature f of every row and step uses mean[f], std[f]
    FeatureScaler scaler = new FeatureScaler(
        new Normalization.Standardization(List.of(0.0, 10.0, 100.0), List.of(1.0, 2.0, 4.0), 1));
    FloatTensor tensor = new FloatTensor(new long[] {2, 3, 2}, new float[] {
        1f, 2f, 12f, 14f, 104f, 108f,
        -1f, 0f, 10f, 8f, 100f, 96f});

    scaler.normalize(tensor);

    assertThat(tensor.values()).containsExactly(
        1f, 2f, 1f, 2f, 1f, 2f,
        -1f, 0f, 0f, -1f, 0f, -1f);
  }

  @Test
  void minMaxScalingAlongANegativeNonLastAxisScalesEachPositionOfThatAxis() {
    // [2 features, T 3] with axis -2: feature 0 in [0, 4], feature 1 in [10, 20]
    FeatureScaler scaler = new FeatureScaler(new Normalization.MinMaxScaling(List.of(0.0, 10.0), List.of(4.0, 20.0), -2));
    FloatTensor tensor = new FloatTensor(new long[] {2, 3}, new float[] {0f, 1f, 4f, 10f, 15f, 25f});

    scaler.normalize(tensor);

    assertThat(tensor.values()).containsExactly(0f, 0.25f, 1f, 0f, 0.5f, 1.5f);
  }

  @Test
  void minMaxInverseMapsBackToTheTrainingRange() {
    FeatureScaler scaler = new FeatureScaler(new Normalization.MinMaxScaling(List.of(0.0, 10.0), List.of(4.0, 20.0), 1));
    FloatTensor scaled = new FloatTensor(new long[] {1, 2, 2}, new float[] {0f, 1f, 0.5f, -0.5f});

    Tensor inverse = scaler.denormalized(scaled);

    assertThat(((FloatTensor) inverse).values()).containsExactly(0f, 4f, 15f, 5f);
  }

  @Test
  void float64TensorsAreScaledInDoublePrecision() {
    FeatureScaler scaler = new FeatureScaler(new Normalization.Standardization(List.of(0.1), List.of(3.0), -1));
    DoubleTensor tensor = new DoubleTensor(new long[] {2, 1}, new double[] {0.7, 1e300});

    scaler.normalize(tensor);

    assertThat(tensor.values()).containsExactly((0.7 - 0.1) / 3.0, (1e300 - 0.1) / 3.0);
    assertThat(((DoubleTensor) scaler.denormalized(tensor)).values()[0]).isCloseTo(0.7, within(1e-15));
  }

  @Test
  void inverseUndoesNormalization() {
    FeatureScaler prices = new FeatureScaler(
        new Normalization.Standardization(List.of(101.5, 0.5), List.of(12.5, 0.25), -1));
    float[] original = {109.36533f, 0.27897388f, 83.48797f, 0.2571052f};
    FloatTensor tensor = new FloatTensor(new long[] {2, 2}, original.clone());

    prices.normalize(tensor);
    assertThat(tensor.values()[0]).isCloseTo((109.36533f - 101.5f) / 12.5f, within(1e-6f));
    assertThat(tensor.values()[1]).isCloseTo((0.27897388f - 0.5f) / 0.25f, within(1e-6f));
    float[] restored = ((FloatTensor) prices.denormalized(tensor)).values();

    for (int i = 0; i < original.length; i++) {
      assertThat(restored[i]).isCloseTo(original[i], within(1e-4f));
    }
  }

  @Test
  void integerTensorsAreNeverScaled() {
    LongTensor tokens = new LongTensor(new long[] {1, 2}, new long[] {1, 2});

    assertThatThrownBy(() -> LAST_AXIS_STANDARDIZATION.normalize(tokens))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("only float tensors are normalized, not LongTensor[1, 2]");
  }

  @Test
  void aSingleNumberStatisticScalesEveryValueExactlyAsTheListItStandsFor() throws Exception {
    String lists = """
        version: 1
        model: {file: net.pt}
        dims: {batch: {max: 4}}
        batch: {dim: batch}
        inputs:
          - {name: x, dtype: float32, shape: [batch, 7], normalize: {min: [-2, -2, -2, -2, -2, -2, -2], \
        max: [6, 6, 6, 6, 6, 6, 6]}}
        forward: {arguments: [{input: x}], returns: tensor}
        outputs:
          - {name: y, dtype: float32, shape: [batch, 7], denormalize: {mean: [1000, 1000, 1000, 1000, 1000, 1000, \
        1000], std: [30, 30, 30, 30, 30, 30, 30]}}
        """;
    ModelContract listed = read(lists);
    ModelContract scalars = read(lists
        .replace("min: [-2, -2, -2, -2, -2, -2, -2], max: [6, 6, 6, 6, 6, 6, 6]", "min: -2, max: 6")
        .replace("mean: [1000, 1000, 1000, 1000, 1000, 1000, 1000], std: [30, 30, 30, 30, 30, 30, 30]",
            "mean: 1000, std: 30"));
    Random random = new Random(22);
    float[] values = new float[4 * 7];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * 3;
    }
    FloatTensor byList = new FloatTensor(new long[] {4, 7}, values.clone());
    FloatTensor byNumber = new FloatTensor(new long[] {4, 7}, values.clone());

    new FeatureScaler(listed.inputs().get(0).normalize().orElseThrow()).normalize(byList);
    new FeatureScaler(scalars.inputs().get(0).normalize().orElseThrow()).normalize(byNumber);
    Tensor answeredByList = new FeatureScaler(listed.outputs().get(0).denormalize().orElseThrow()).denormalized(byList);
    Tensor answeredByNumber =
        new FeatureScaler(scalars.outputs().get(0).denormalize().orElseThrow()).denormalized(byNumber);

    assertThat(byNumber.values()).containsExactly(byList.values());
    assertThat(((FloatTensor) answeredByNumber).values()).containsExactly(((FloatTensor) answeredByList).values());
    assertThat(byList.values()).isNotEqualTo(values);
  }

  private static ModelContract read(String yaml) throws Exception {
    return new ContractReader().read("scaling.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }
}
