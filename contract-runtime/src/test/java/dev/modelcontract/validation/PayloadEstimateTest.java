package dev.modelcontract.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.enforcement.TestContracts;
import dev.modelcontract.hosting.SageMakerHosting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadEstimateTest {

  /**
   * int64 tokens (sampled as 0, so the JSON is known to the byte) and an optional mask, which samples omit. At
   * typical sizes (batch 2, T 2) the body is {"tokens":[[0,0],[0,0]]}, 24 bytes; at the largest (batch 8, T 4) it
   * is 92 bytes.
   */
  private static String tokens(String batchBounds) {
    return """
        version: 1
        model: {file: model.pt}
        dims:
          batch: %s
          T: {max: 4}
        batch: {dim: batch}
        inputs:
          - {name: tokens, dtype: int64, shape: [batch, T]}
          - {name: mask, dtype: bool, shape: [batch, T], default: true}
        forward:
          arguments: [{input: tokens}, {input: mask}]
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [batch, 2]}
        """.formatted(batchBounds);
  }

  private static final ModelContract BATCH_UP_TO_8 = TestContracts.read(tokens("{max: 8}"));

  @Test
  void bytesPerItemAreTheSampleBodyOverItsBatchAtTypicalAndLargestDims() {
    List<PayloadEstimate> estimates = PayloadEstimate.of(BATCH_UP_TO_8, SageMakerHosting.MAX_BODY_BYTES);

    assertThat(estimates).hasSize(2);
    assertThat(estimates.get(0).dims()).containsExactly(Map.entry("T", 2L));
    assertThat(estimates.get(0).bytesPerItem()).isEqualTo(24 / 2);
    assertThat(estimates.get(1).dims()).containsExactly(Map.entry("T", 4L));
    assertThat(estimates.get(1).bytesPerItem()).isEqualTo(92 / 8);
    assertThat(estimates).allSatisfy(estimate -> assertThat(estimate.limitBytes()).isEqualTo(6_291_456));
  }

  @Test
  void sageMakersLimitIsInvokeEndpointsSixMebibytesNotSixMillionBytes() {
    ModelContract unbounded = TestContracts.read(tokens("{}"));

    PayloadEstimate largest = PayloadEstimate.of(unbounded, SageMakerHosting.MAX_BODY_BYTES).get(1);

    // 16 bytes per item: 6,291,456 / 16 items fit, 18,816 more than in 6,000,000 bytes
    assertThat(SageMakerHosting.MAX_BODY_BYTES).isEqualTo(6 * 1024 * 1024);
    assertThat(largest.largestBatch()).isEqualTo(393_216).isGreaterThan(6_000_000 / 16);
    assertThat(largest.describe(unbounded)).startsWith("largest batch within 6 MiB of JSON");
  }

  @Test
  void aLimitThatIsNoWholeMebibyteIsGivenInBytes() {
    PayloadEstimate estimate = PayloadEstimate.of(BATCH_UP_TO_8, 50).get(0);

    assertThat(estimate.describe(BATCH_UP_TO_8)).isEqualTo("largest batch within 50 bytes of JSON at T=2: 4, 12 bytes"
        + " per item");
  }

  @Test
  void largestBatchIsCappedAtTheBatchDimsMax() {
    PayloadEstimate typical = PayloadEstimate.of(BATCH_UP_TO_8, SageMakerHosting.MAX_BODY_BYTES).get(0);

    assertThat(typical.largestBatch()).isEqualTo(8);
    assertThat(typical.describe(BATCH_UP_TO_8)).isEqualTo("largest batch within 6 MiB of JSON at T=2: 8 (the batch"
        + " dim's max; the payload alone would allow 524288), 12 bytes per item");
  }

  @Test
  void largestBatchIsThePayloadsBoundBelowTheBatchDimsMax() {
    List<PayloadEstimate> estimates = PayloadEstimate.of(BATCH_UP_TO_8, 50);

    assertThat(estimates).extracting(PayloadEstimate::largestBatch).containsExactly(50L / 12, 50L / 11);
  }

  @Test
  void unboundedBatchIsLimitedByThePayloadAlone() {
    ModelContract unbounded = TestContracts.read(tokens("{}"));

    List<PayloadEstimate> estimates = PayloadEstimate.of(unbounded, SageMakerHosting.MAX_BODY_BYTES);

    // an unbounded batch is sampled at 2 at every size: {"tokens":[[0,0,0,0],[0,0,0,0]]} is 32 bytes at T=4
    PayloadEstimate largest = estimates.get(1);
    assertThat(largest.bytesPerItem()).isEqualTo(16);
    assertThat(largest.largestBatch()).isEqualTo(393_216);
    assertThat(largest.describe(unbounded))
        .isEqualTo("largest batch within 6 MiB of JSON at T=4: 393216, 16 bytes per item");
  }

  @Test
  void contractWithoutBatchAxisAnswersOneRequestOfItsWholeBody() {
    ModelContract single = TestContracts.read("""
        version: 1
        model: {file: model.pt}
        inputs:
          - {name: tokens, dtype: int64, shape: [3]}
        forward:
          arguments: [{input: tokens}]
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [2]}
        """);

    List<PayloadEstimate> estimates = PayloadEstimate.of(single, SageMakerHosting.MAX_BODY_BYTES);

    assertThat(estimates).singleElement().satisfies(estimate -> {
      assertThat(estimate.dims()).isEmpty();
      assertThat(estimate.bytesPerItem()).isEqualTo("{\"tokens\":[0,0,0]}".length());
      assertThat(estimate.largestBatch()).isEqualTo(1);
      assertThat(estimate.describe(single)).isEqualTo("largest batch within 6 MiB of JSON: 1, 18 bytes per item");
    });
  }
}
