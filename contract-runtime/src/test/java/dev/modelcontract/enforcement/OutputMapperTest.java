package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.inference.ModelOutput;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.StringTensor;
import dev.modelcontract.tensors.Tensor;
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
    return new ModelOutput(null, "float32", new FloatTensor(shape, values));
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

  private static float[] floats(Tensor tensor) {
    return ((FloatTensor) tensor).values();
  }

  private static OutputMismatch mismatch(List<ModelOutput> returned, BoundRequest request) {
    return mismatch(CONTRACT, returned, request);
  }

  private static OutputMismatch mismatch(ModelContract contract, List<ModelOutput> returned, BoundRequest request) {
    OutputMismatch e = catchThrowableOfType(OutputMismatch.class, () -> new OutputMapper(contract).map(returned, request));
    assertThat(e).as("mapping should fail").isNotNull();
    return e;
  }

  @Test
  void picksOutputsByTuplePositionAndDenormalizes() throws OutputMismatch {
    List<ModelOutput> returned = List.of(
        output(new long[] {2, 3}, 0.1f, 0.2f, 0.3f, -1f, -2f, -3f),
        output(new long[] {2, 1}, 0.5f, -1f),
        output(new long[] {2, 3}, 1f, 2f, 3f, 4f, 5f, 6f));

    Map<String, Tensor> outputs = new OutputMapper(CONTRACT).map(returned, BATCH_OF_TWO);

    assertThat(outputs.keySet()).containsExactly("value", "logits", "sequence");
    assertThat(outputs.get("value").shape()).containsExactly(2, 1);
    assertThat(floats(outputs.get("value"))).containsExactly(105f, 90f);
    assertThat(outputs.get("logits").shape()).containsExactly(2, 3);
    assertThat(floats(outputs.get("logits"))).containsExactly(0.1f, 0.2f, 0.3f, -1f, -2f, -3f);
    assertThat(floats(outputs.get("sequence"))).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
  }

  @Test
  void unbatchedRequestDropsTheBatchAxis() throws OutputMismatch {
    BoundRequest unbatched = new BoundRequest(List.of(), Map.of("T", 3L), true);
    List<ModelOutput> returned = List.of(
        output(new long[] {1, 3}, 0.1f, 0.2f, 0.3f),
        output(new long[] {1, 1}, 2f),
        sequence(1, 3));

    Map<String, Tensor> outputs = new OutputMapper(CONTRACT).map(returned, unbatched);

    assertThat(outputs.get("value").shape()).containsExactly(1);
    assertThat(floats(outputs.get("value"))).containsExactly(120f);
    assertThat(outputs.get("logits").shape()).containsExactly(3);
    assertThat(floats(outputs.get("logits"))).containsExactly(0.1f, 0.2f, 0.3f);
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
    ModelOutput doubles = new ModelOutput(null, "float64", new DoubleTensor(new long[] {2, 1}, new double[2]));

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

  /** forward returns {"forecast": [batch, 1], "logits": [batch, 3]}; three outputs read the logits. */
  private static final ModelContract DICT = TestContracts.read("""
      version: 1
      model: {file: model.pt}
      dims:
        batch: {max: 8}
      batch: {dim: batch, unbatchedRequests: true}
      inputs:
        - {name: x, dtype: float32, shape: [batch, 2]}
      forward:
        arguments: [{input: x}]
        returns: dict
      outputs:
        - name: forecast
          dtype: float32
          shape: [batch, 1]
          denormalize: {min: [10], max: [20]}
        - name: scaled_logits
          key: logits
          dtype: float32
          shape: [batch, 3]
          denormalize: {mean: [0, 0, 0], std: [1, 1, 4]}
        - name: regime
          key: logits
          dtype: float32
          shape: [batch, 3]
          labels: [bear, flat, bull]
        - name: probability
          key: logits
          dtype: float32
          shape: [batch, 3]
          softmax: true
      """);

  private static ModelOutput entry(String key, long[] shape, float... values) {
    return new ModelOutput(key, "float32", new FloatTensor(shape, values));
  }

  @Test
  void dictOutputsArePickedByKeyWhateverTheOrderReturned() throws OutputMismatch {
    List<ModelOutput> returned = List.of(
        entry("logits", new long[] {1, 3}, 0f, 0f, 1f),
        entry("forecast", new long[] {1, 1}, 0.5f));

    Map<String, Tensor> outputs = new OutputMapper(DICT).map(returned, new BoundRequest(List.of(), Map.of(), false));

    assertThat(outputs.keySet()).containsExactly("forecast", "scaled_logits", "regime", "probability");
    assertThat(floats(outputs.get("forecast"))).containsExactly(15f);
  }

  @Test
  void outputsReadingTheSameKeyAreTransformedIndependently() throws OutputMismatch {
    FloatTensor logits = new FloatTensor(new long[] {2, 3}, new float[] {1f, 1f, 0.5f, 0f, 0f, 0f});
    List<ModelOutput> returned = List.of(entry("forecast", new long[] {2, 1}, 0f, 1f),
        new ModelOutput("logits", "float32", logits));

    Map<String, Tensor> outputs = new OutputMapper(DICT).map(returned, BATCH_OF_TWO);

    // scaled_logits, mapped first, multiplied its copy's third column by 4: labels and softmax see the model's values
    assertThat(floats(outputs.get("scaled_logits"))).containsExactly(1f, 1f, 2f, 0f, 0f, 0f);
    assertThat(((StringTensor) outputs.get("regime")).values()).containsExactly("bear", "bear");
    float[] probability = floats(outputs.get("probability"));
    double e = Math.exp(-0.5);
    assertThat(probability[0]).isCloseTo((float) (1 / (2 + e)), within(1e-7f));
    assertThat(probability[2]).isCloseTo((float) (e / (2 + e)), within(1e-7f));
    assertThat(logits.values()).as("the model's tensor is left as it was").containsExactly(1f, 1f, 0.5f, 0f, 0f, 0f);
  }

  @Test
  void missingDictKeyNamesTheKeysTheModelReturned() {
    List<ModelOutput> returned = List.of(entry("score", new long[] {2, 3}, new float[6]),
        entry("forecast", new long[] {2, 1}, 0f, 0f), entry("aux", new long[] {2, 1}, 0f, 0f));

    OutputMismatch e = mismatch(DICT, returned, BATCH_OF_TWO);

    assertThat(e.output()).isEqualTo("scaled_logits");
    assertThat(e.pointer()).isEqualTo("/outputs/1/key");
    assertThat(e.getMessage()).isEqualTo("output 'scaled_logits' reads the key 'logits', but the model returned a dict with"
        + " the keys 'aux', 'forecast', 'score'");
  }

  @Test
  void missingDictKeyOfAnOutputWithoutKeyIsLocatedAtItsName() {
    OutputMismatch e = mismatch(DICT, List.of(entry("logits", new long[] {2, 3}, new float[6])), BATCH_OF_TWO);

    assertThat(e.output()).isEqualTo("forecast");
    assertThat(e.pointer()).isEqualTo("/outputs/0/name");
    assertThat(e.getMessage()).isEqualTo("output 'forecast' reads the key 'forecast', but the model returned a dict"
        + " with the keys 'logits'");
  }

  /** forward returns one tensor of logits, read raw, as labels and as softmax. */
  private static final ModelContract TENSOR = TestContracts.read("""
      version: 1
      model: {file: model.pt}
      dims:
        batch: {max: 8}
      batch: {dim: batch, unbatchedRequests: true}
      inputs:
        - {name: x, dtype: float32, shape: [batch, 2]}
      forward:
        arguments: [{input: x}]
        returns: tensor
      outputs:
        - {name: topic, dtype: float32, shape: [batch, 3], labels: [a, b, c]}
        - {name: scores, dtype: float32, shape: [batch, 3], softmax: true}
      """);

  @Test
  void tensorReturnedWhereOneWasDeclaredIsReadByEveryOutput() throws OutputMismatch {
    List<ModelOutput> returned = List.of(output(new long[] {3, 3},
        0.1f, 0.7f, 0.2f,
        0.5f, 0.5f, 0.1f,
        -1f, -1f, -1f));

    Map<String, Tensor> outputs = new OutputMapper(TENSOR).map(returned,
        new BoundRequest(List.of(), Map.of("batch", 3L), false));

    StringTensor topic = (StringTensor) outputs.get("topic");
    assertThat(topic.shape()).containsExactly(3);
    assertThat(topic.values()).as("argmax, the first on ties").containsExactly("b", "a", "a");
    float[] scores = floats(outputs.get("scores"));
    for (int row = 0; row < 3; row++) {
      assertThat(scores[3 * row] + scores[3 * row + 1] + scores[3 * row + 2]).isCloseTo(1f, within(1e-6f));
    }
    assertThat(scores[6]).isEqualTo(1f / 3);
  }

  @Test
  void twoTensorsReturnedWhereOneWasDeclaredIsAMismatchAtReturns() {
    OutputMismatch e = mismatch(TENSOR, List.of(logits(2), logits(2)), BATCH_OF_TWO);

    assertThat(e.output()).isEqualTo("topic");
    assertThat(e.pointer()).isEqualTo("/forward/returns");
    assertThat(e.getMessage()).isEqualTo("forward is declared to return one tensor, but the model returned 2 tensors");
  }

  @Test
  void dictReturnedWhereATensorWasDeclaredIsAMismatchNamingItsKeys() {
    OutputMismatch e = mismatch(TENSOR, List.of(entry("logits", new long[] {2, 3}, new float[6])), BATCH_OF_TWO);

    assertThat(e.getMessage())
        .isEqualTo("forward is declared to return one tensor, but the model returned a dict with the keys 'logits'");
  }

  @Test
  void labelsOfAnUnbatchedRequestAreOneString() throws OutputMismatch {
    List<ModelOutput> returned = List.of(output(new long[] {1, 3}, 0f, 0f, 2f));

    Map<String, Tensor> outputs = new OutputMapper(TENSOR).map(returned, new BoundRequest(List.of(), Map.of(), true));

    assertThat(outputs.get("topic").shape()).isEmpty();
    assertThat(((StringTensor) outputs.get("topic")).values()).containsExactly("c");
    assertThat(outputs.get("scores").shape()).containsExactly(3);
  }

  @Test
  void softmaxOfEqualValuesIsUniformAndOfLargeValuesDoesNotOverflow() {
    Tensor uniform = OutputMapper.softmax(new FloatTensor(new long[] {1, 4}, new float[] {3f, 3f, 3f, 3f}));
    Tensor large = OutputMapper.softmax(new FloatTensor(new long[] {1, 2}, new float[] {1000f, 1000f}));

    assertThat(floats(uniform)).containsExactly(0.25f, 0.25f, 0.25f, 0.25f);
    assertThat(floats(large)).containsExactly(0.5f, 0.5f);
  }

  @Test
  void softmaxRowsSumToOneInTheRatioOfTheirExponentials() {
    double ln2 = Math.log(2);
    DoubleTensor logits = new DoubleTensor(new long[] {2, 3}, new double[] {0, ln2, 2 * ln2, -5, -5 + ln2, -5});

    DoubleTensor softmax = (DoubleTensor) OutputMapper.softmax(logits);

    assertThat(softmax.shape()).containsExactly(2, 3);
    assertThat(softmax.values()[0]).isCloseTo(1 / 7.0, within(1e-15));
    assertThat(softmax.values()[1]).isCloseTo(2 / 7.0, within(1e-15));
    assertThat(softmax.values()[2]).isCloseTo(4 / 7.0, within(1e-15));
    assertThat(softmax.values()[3]).isCloseTo(0.25, within(1e-15));
    assertThat(softmax.values()[4]).isCloseTo(0.5, within(1e-15));
    assertThat(softmax.values()[5]).isCloseTo(0.25, within(1e-15));
  }

  @Test
  void labelsPickTheLargestOfIntegersToo() {
    LongTensor counts = new LongTensor(new long[] {2, 2, 3}, new long[] {0, 5, 5, 9, 1, 9, -3, -2, -7, 4, 4, 4});

    StringTensor labels = (StringTensor) OutputMapper.labels(counts, List.of("x", "y", "z"));

    assertThat(labels.shape()).containsExactly(2, 2);
    assertThat(labels.values()).containsExactly("y", "x", "y", "x");
  }

  @Test
  void labelsArePickedAfterDenormalizing() throws OutputMismatch {
    ModelContract contract = TestContracts.read("""
        version: 1
        model: {file: model.pt}
        inputs:
          - {name: x, dtype: float32, shape: [2]}
        forward:
          arguments: [{input: x}]
          returns: tensor
        outputs:
          - name: side
            dtype: float32
            shape: [2, 2]
            denormalize: {min: [0, 0], max: [1, 4]}
            labels: [left, right]
        """);
    // the model's rows pick left; scaled back (right column times 4), [0.5, 1.2] and [0.2, 0.4] pick right
    List<ModelOutput> returned = List.of(output(new long[] {2, 2}, 0.5f, 0.3f, 0.2f, 0.1f));

    Map<String, Tensor> outputs = new OutputMapper(contract).map(returned, new BoundRequest(List.of(), Map.of(), false));

    assertThat(((StringTensor) outputs.get("side")).values()).containsExactly("right", "right");
  }

  @Test
  void denormalizationAlongANonLastAxisOfAnOutputInvertsMinMaxScaling() throws OutputMismatch {
    ModelContract contract = TestContracts.read("""
        version: 1
        model: {file: model.pt}
        dims: {batch: {max: 4}}
        batch: {dim: batch}
        inputs:
          - {name: x, dtype: float32, shape: [batch, 2]}
        forward:
          arguments: [{input: x}]
          returns: tensor
        outputs:
          - name: y
            dtype: float32
            shape: [batch, 2, 3]
            denormalize: {min: [0, 100], max: [10, 300], axis: 1}
        """);
    List<ModelOutput> returned = List.of(output(new long[] {1, 2, 3}, 0f, 0.5f, 1f, 0f, 0.5f, 1f));

    Map<String, Tensor> outputs = new OutputMapper(contract).map(returned,
        new BoundRequest(List.of(), Map.of("batch", 1L), false));

    assertThat(floats(outputs.get("y"))).containsExactly(0f, 5f, 10f, 100f, 200f, 300f);
  }
}
