package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.FloatTensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputMapperTest {

  private static final ModelContract CONTRACT = TestContracts.read("""
      version: 1
      model: {file: model.pt}
      dims:
        batch: {max: 8}
        T: {max: 4}
      batch: {dim: batch, unbatchedRequests: true}
      inputs:
        - {name: x, dtype: float32, shape: [batch, T, 2]}
      forward:
        arguments:
          - concat: [x]
        returns: tuple
      outputs:
        - name: value
          index: 1
          dtype: float32
          shape: [batch, 1]
          denormalize: {mean: [100.0], std: [10.0]}
        - name: logits
          index: 0
          dtype: float32
          shape: [batch, 3]
        - name: sequence
          index: 2
          dtype: float32
          shape: [batch, T]
      """);

  private static final BoundRequest BATCH_OF_TWO = new BoundRequest(List.of(), Map.of("batch", 2L, "T", 3L), false);

  private static ModelOutput output(long[] shape, float... values) {
    return new ModelOutput("float32", new FloatTensor(shape, values));
  }

  private static ModelOutput logits(long batch) {
    return output(new long[] {batch, 3}, new float[(int) batch * 3]);
  }

  private static ModelOutput value(long batch) {
    return output(new long[] {batch, 1}, new float[(int) batch]);
  }

  private static ModelOutput sequence(long batch, long steps) {
    return output(new long[] {batch, steps}, new float[(int) (batch * steps)]);
  }

  private static OutputMismatch mismatch(List<ModelOutput> returned, BoundRequest request) {
    OutputMismatch e = catchThrowableOfType(OutputMismatch.class, () -> new OutputMapper(CONTRACT).map(returned, request));
    assertThat(e).as("mapping should fail").isNotNull();
    return e;
  }

  @Test
  void picksOutputsByTuplePositionAndDenormalizes() throws OutputMismatch {
    List<ModelOutput> returned = List.of(
        output(new long[] {2, 3}, 0.1f, 0.2f, 0.3f, -1f, -2f, -3f),
        output(new long[] {2, 1}, 0.5f, -1f),
        output(new long[] {2, 3}, 1f, 2f, 3f, 4f, 5f, 6f));

    Map<String, FloatTensor> outputs = new OutputMapper(CONTRACT).map(returned, BATCH_OF_TWO);

    assertThat(outputs.keySet()).containsExactly("value", "logits", "sequence");
    assertThat(outputs.get("value").shape()).containsExactly(2, 1);
    assertThat(outputs.get("value").values()).containsExactly(105f, 90f);
    assertThat(outputs.get("logits").shape()).containsExactly(2, 3);
    assertThat(outputs.get("logits").values()).containsExactly(0.1f, 0.2f, 0.3f, -1f, -2f, -3f);
    assertThat(outputs.get("sequence").values()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
  }

  @Test
  void unbatchedRequestDropsTheBatchAxis() throws OutputMismatch {
    BoundRequest unbatched = new BoundRequest(List.of(), Map.of("T", 3L), true);
    List<ModelOutput> returned = List.of(
        output(new long[] {1, 3}, 0.1f, 0.2f, 0.3f),
        output(new long[] {1, 1}, 2f),
        sequence(1, 3));

    Map<String, FloatTensor> outputs = new OutputMapper(CONTRACT).map(returned, unbatched);

    assertThat(outputs.get("value").shape()).containsExactly(1);
    assertThat(outputs.get("value").values()).containsExactly(120f);
    assertThat(outputs.get("logits").shape()).containsExactly(3);
    assertThat(outputs.get("logits").values()).containsExactly(0.1f, 0.2f, 0.3f);
    assertThat(outputs.get("sequence").shape()).containsExactly(3);
  }

  @Test
  void tooFewReturnedTensorsNamesTheIndex() {
    OutputMismatch e = mismatch(List.of(logits(2), value(2)), BATCH_OF_TWO);

    assertThat(e.output()).isEqualTo("sequence");
    assertThat(e.pointer()).isEqualTo("/outputs/2/index");
    assertThat(e.getMessage())
        .isEqualTo("output 'sequence' reads position 2 of the tuple forward returns, but the model returned 2 tensors");
  }

  @Test
  void singleReturnedTensorIsCountedInTheSingular() {
    OutputMismatch e = mismatch(List.of(logits(2)), BATCH_OF_TWO);

    assertThat(e.output()).isEqualTo("value");
    assertThat(e.pointer()).isEqualTo("/outputs/0/index");
    assertThat(e.getMessage()).endsWith("but the model returned 1 tensor");
  }

  @Test
  void wrongDtypeIsRejected() {
    ModelOutput doubles = new ModelOutput("float64", new FloatTensor(new long[] {2, 1}, new float[2]));

    OutputMismatch e = mismatch(List.of(logits(2), doubles, sequence(2, 3)), BATCH_OF_TWO);

    assertThat(e.output()).isEqualTo("value");
    assertThat(e.pointer()).isEqualTo("/outputs/0/dtype");
    assertThat(e.getMessage()).isEqualTo("output 'value' is declared float32, but the model returned float64");
  }

  @Test
  void wrongFixedDimNamesTheAxis() {
    ModelOutput four = output(new long[] {2, 4}, new float[8]);

    OutputMismatch e = mismatch(List.of(four, value(2), sequence(2, 3)), BATCH_OF_TWO);

    assertThat(e.output()).isEqualTo("logits");
    assertThat(e.pointer()).isEqualTo("/outputs/1/shape/1");
    assertThat(e.getMessage()).isEqualTo(
        "output 'logits' is declared [batch, 3], but the model returned shape [2, 4] (axis 1 should be 3)");
  }

  @Test
  void wrongRankIsRejected() {
    ModelOutput flat = output(new long[] {2}, new float[2]);

    OutputMismatch e = mismatch(List.of(logits(2), flat, sequence(2, 3)), BATCH_OF_TWO);

    assertThat(e.pointer()).isEqualTo("/outputs/0/shape");
    assertThat(e.getMessage()).isEqualTo("output 'value' is declared [batch, 1], but the model returned shape [2]");
  }

  @Test
  void batchSizeMustMatchTheRequest() {
    OutputMismatch e = mismatch(List.of(logits(2), value(3), sequence(2, 3)), BATCH_OF_TWO);

    assertThat(e.output()).isEqualTo("value");
    assertThat(e.pointer()).isEqualTo("/outputs/0/shape/0");
    assertThat(e.getMessage()).endsWith("(axis 0 should be batch = 2, as in the request)");
  }

  @Test
  void namedDimMustMatchTheRequest() {
    OutputMismatch e = mismatch(List.of(logits(2), value(2), sequence(2, 4)), BATCH_OF_TWO);

    assertThat(e.output()).isEqualTo("sequence");
    assertThat(e.pointer()).isEqualTo("/outputs/2/shape/1");
    assertThat(e.getMessage()).endsWith("(axis 1 should be T = 3, as in the request)");
  }

  @Test
  void dimOnlyOutputsUseMustStayWithinBounds() {
    BoundRequest withoutT = new BoundRequest(List.of(), Map.of("batch", 2L), false);

    OutputMismatch e = mismatch(List.of(logits(2), value(2), sequence(2, 5)), withoutT);

    assertThat(e.pointer()).isEqualTo("/outputs/2/shape/1");
    assertThat(e.getMessage()).endsWith("(axis 1 breaks 1 <= T <= 4)");
  }
}
