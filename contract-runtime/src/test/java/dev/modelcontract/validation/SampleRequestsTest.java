package dev.modelcontract.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.enforcement.TestContracts;
import dev.modelcontract.tensors.BooleanTensor;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.SampleRequests.Sizes;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleRequestsTest {

  private static final ModelContract CONTRACT = TestContracts.read("""
      version: 1
      model: {file: model.pt}
      dims:
        batch: {max: 64}
        T: {min: 3, max: 512}
        S: {}
      batch: {dim: batch}
      inputs:
        - {name: prices, dtype: float32, shape: [batch, T, 2], normalize: {mean: [1000, -1000], std: [1, 1]}}
        - {name: tokens, dtype: int64, shape: [batch, S]}
        - {name: flags, dtype: bool, shape: [batch, 2]}
        - {name: half, dtype: float16, shape: [batch, 1], normalize: {mean: [1000000], std: [1]}}
        - {name: precise, dtype: float64, shape: [batch, 1]}
        - {name: ids, dtype: int32, shape: [batch, 3], range: {min: 5, max: 9}}
        - {name: share, dtype: float32, shape: [batch, 1], normalize: {mean: [0.5], std: [3]}, range: {min: 0, max: 1}}
        - {name: mask, dtype: bool, shape: [batch, T], default: true}
      forward:
        arguments: [{input: prices}, {input: tokens}, {input: flags}, {input: half}, {input: precise}, {input: ids},
          {input: share}, {input: mask}]
        returns: tensor
      outputs:
        - {name: y, dtype: float32, shape: [batch, 1]}
      """);

  private static Map<String, Tensor> sample(Sizes sizes) {
    return SampleRequests.of(CONTRACT, sizes, new Random(7));
  }

  @Test
  void optionalInputsAreLeftToTheirDefaults() {
    assertThat(sample(Sizes.TYPICAL).keySet()).containsExactly("prices", "tokens", "flags", "half", "precise", "ids",
        "share");
  }

  @Test
  void typicalSizesAreTwoClampedIntoEachDimsBounds() {
    Map<String, Tensor> request = sample(Sizes.TYPICAL);

    assertThat(request.get("prices").shape()).containsExactly(2, 3, 2);
    assertThat(request.get("tokens").shape()).containsExactly(2, 2);
  }

  @Test
  void minimumSizesTakeEachBoundedDimsMinAndUnboundedOnesTheirDefaultMin() {
    Map<String, Tensor> request = sample(Sizes.MIN);

    assertThat(request.get("prices").shape()).containsExactly(1, 3, 2);
    assertThat(request.get("tokens").shape()).containsExactly(1, 1);
  }

  @Test
  void maximumSizesTakeEachBoundedDimsMaxAndUnboundedOnesTheTypicalSize() {
    Map<String, Tensor> request = sample(Sizes.MAX);

    assertThat(request.get("prices").shape()).containsExactly(64, 512, 2);
    assertThat(request.get("tokens").shape()).containsExactly(64, 2);
  }

  @Test
  void valuesAreValidForEachDType() {
    Map<String, Tensor> request = sample(Sizes.TYPICAL);

    assertThat(((LongTensor) request.get("tokens")).values()).containsOnly(0L);
    assertThat(((BooleanTensor) request.get("flags")).values()).containsOnly(true);
    assertThat(request.get("precise")).isInstanceOf(DoubleTensor.class);
    // drawn around a million, then clamped into float16's range
    assertThat(((FloatTensor) request.get("half")).values()).containsOnly(65504f);
  }

  @Test
  void rangedIntegersSpanTheirRangeFromItsMinimumToItsMaximumAndRangedFloatsStayWithin() {
    long[] ids = ((LongTensor) sample(Sizes.MAX).get("ids")).values();
    float[] shares = ((FloatTensor) sample(Sizes.MAX).get("share")).values();

    assertThat(ids[0]).isEqualTo(5);
    assertThat(ids[ids.length - 1]).isEqualTo(9);
    for (long id : ids) {
      assertThat(id).isBetween(5L, 9L);
    }
    for (float share : shares) {
      assertThat(share).isBetween(0f, 1f);
    }
    assertThat(shares).contains(0f, 1f); // drawn with a std of 3 around 0.5: many fall outside and are clamped
  }

  @Test
  void floatsAreDrawnAroundTheTrainingStatisticsOfEachFeature() {
    float[] prices = ((FloatTensor) sample(Sizes.MAX).get("prices")).values();

    for (int i = 0; i < prices.length; i += 2) {
      assertThat(prices[i]).isBetween(990f, 1010f);
      assertThat(prices[i + 1]).isBetween(-1010f, -990f);
    }
  }
}
