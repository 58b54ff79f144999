package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractProblem;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.BooleanTensor;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputBinderTest {

  private static final ModelContract BATCHED_ONLY = TestContracts.twoInputs(false);
  private static final ModelContract UNBATCHED_ALLOWED = TestContracts.twoInputs(true);

  private static FloatTensor tensor(long... shape) {
    float[] values = new float[(int) Tensor.sizeOf(shape)];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    return new FloatTensor(shape, values);
  }

  private static Map<String, Tensor> request(Object... namesAndTensors) {
    Map<String, Tensor> request = new LinkedHashMap<>();
    for (int i = 0; i < namesAndTensors.length; i += 2) {
      request.put((String) namesAndTensors[i], (Tensor) namesAndTensors[i + 1]);
    }
    return request;
  }

  /** The binder of a contract whose defaults are valid. */
  private static InputBinder binder(ModelContract contract) {
    try {
      return new InputBinder(contract);
    } catch (ContractException e) {
      throw new AssertionError("the contract's defaults should decode: " + e.getMessage(), e);
    }
  }

  private static ContractViolation violation(ModelContract contract, Map<String, Tensor> request) {
    ContractViolation e = catchThrowableOfType(ContractViolation.class, () -> binder(contract).bind(request));
    assertThat(e).as("binding should fail").isNotNull();
    return e;
  }

  @Test
  void batchedRequestBindsInputsInContractOrderWithTheirDims() throws ContractViolation {
    FloatTensor first = tensor(2, 3, 4);
    FloatTensor second = tensor(2, 3, 2);

    // the request names input_2 first: the bound request follows the contract's order
    BoundRequest bound = binder(BATCHED_ONLY).bind(request("input_2", second, "input_1", first));

    assertThat(bound.inputs()).containsExactly(first, second);
    assertThat(bound.dims()).containsOnly(Map.entry("batch", 2L), Map.entry("T", 3L));
    assertThat(bound.unbatched()).isFalse();
  }

  @Test
  void missingInputNamesTheInputAndItsExpectedShape() {
    ContractViolation e = violation(BATCHED_ONLY, request("input_1", tensor(2, 3, 4)));

    assertThat(e.input()).isEqualTo("input_2");
    assertThat(e.pointer()).isEqualTo("/input_2");
    assertThat(e.expected()).isEqualTo("an array of shape [batch, T, 2]");
    assertThat(e.actual()).isEqualTo("no such field in the request");
    assertThat(e.getMessage())
        .isEqualTo("input 'input_2': expected an array of shape [batch, T, 2], but got no such field in the request");
  }

  @Test
  void missingInputMentionsTheUnbatchedShapeWhenAllowed() {
    ContractViolation e = violation(UNBATCHED_ALLOWED, request("input_2", tensor(3, 2)));

    assertThat(e.input()).isEqualTo("input_1");
    assertThat(e.expected()).isEqualTo("an array of shape [batch, T, 4] or [T, 4]");
  }

  @Test
  void unknownInputIsRejected() {
    ContractViolation e = violation(BATCHED_ONLY,
        request("input_1", tensor(2, 3, 4), "input_2", tensor(2, 3, 2), "input_3", tensor(2, 3, 1)));

    assertThat(e.input()).isEqualTo("input_3");
    assertThat(e.pointer()).isEqualTo("/input_3");
    assertThat(e.expected()).isEqualTo("one of the contract's inputs [input_1, input_2]");
    assertThat(e.actual()).isEqualTo("an input the contract does not declare");
  }

  @Test
  void wrongRankIsRejected() {
    ContractViolation e = violation(BATCHED_ONLY, request("input_1", tensor(2, 3, 4, 1), "input_2", tensor(2, 3, 2)));

    assertThat(e.input()).isEqualTo("input_1");
    assertThat(e.expected()).isEqualTo("rank 3 [batch, T, 4]");
    assertThat(e.actual()).isEqualTo("rank 4 with shape [2, 3, 4, 1]");
  }

  @Test
  void wrongFixedFeatureSizeNamesBothSizes() {
    ContractViolation e = violation(BATCHED_ONLY, request("input_1", tensor(2, 3, 3), "input_2", tensor(2, 3, 2)));

    assertThat(e.input()).isEqualTo("input_1");
    assertThat(e.pointer()).isEqualTo("/input_1");
    assertThat(e.expected()).isEqualTo("size 4 on axis 2 of shape [batch, T, 4]");
    assertThat(e.actual()).isEqualTo("size 3 (shape [2, 3, 3])");
  }

  @Test
  void sharedDimMustAgreeAcrossInputs() {
    ContractViolation e = violation(BATCHED_ONLY, request("input_1", tensor(2, 3, 4), "input_2", tensor(2, 5, 2)));

    assertThat(e.input()).isEqualTo("input_2");
    assertThat(e.pointer()).isEqualTo("/input_2");
    assertThat(e.expected()).isEqualTo("T = 3 on axis 1, as in input 'input_1'");
    assertThat(e.actual()).isEqualTo("T = 5");
  }

  @Test
  void batchSizeMustAgreeAcrossInputs() {
    ContractViolation e = violation(BATCHED_ONLY, request("input_1", tensor(2, 3, 4), "input_2", tensor(1, 3, 2)));

    assertThat(e.input()).isEqualTo("input_2");
    assertThat(e.expected()).isEqualTo("batch = 2 on axis 0, as in input 'input_1'");
    assertThat(e.actual()).isEqualTo("batch = 1");
  }

  @Test
  void dimAboveItsMaxIsRejected() {
    ContractViolation e = violation(BATCHED_ONLY, request("input_1", tensor(2, 11, 4), "input_2", tensor(2, 11, 2)));

    assertThat(e.input()).isEqualTo("input_1");
    assertThat(e.expected()).isEqualTo("1 <= T <= 10 on axis 1 of shape [batch, T, 4]");
    assertThat(e.actual()).isEqualTo("T = 11");
  }

  @Test
  void dimsAtTheirBoundsAreAccepted() throws ContractViolation {
    BoundRequest bound = binder(BATCHED_ONLY)
        .bind(request("input_1", tensor(8, 10, 4), "input_2", tensor(8, 10, 2)));

    assertThat(bound.dims()).containsOnly(Map.entry("batch", 8L), Map.entry("T", 10L));
  }

  @Test
  void batchAboveItsMaxIsRejected() {
    ContractViolation e = violation(BATCHED_ONLY, request("input_1", tensor(9, 1, 4), "input_2", tensor(9, 1, 2)));

    assertThat(e.expected()).isEqualTo("1 <= batch <= 8 on axis 0 of shape [batch, T, 4]");
    assertThat(e.actual()).isEqualTo("batch = 9");
  }

  @Test
  void unbatchedRequestIsServedAsABatchOfOneWhenAllowed() throws ContractViolation {
    FloatTensor first = tensor(3, 4);
    FloatTensor second = tensor(3, 2);

    BoundRequest bound = binder(UNBATCHED_ALLOWED).bind(request("input_1", first, "input_2", second));

    assertThat(bound.unbatched()).isTrue();
    assertThat(bound.inputs()).hasSize(2);
    assertThat(bound.inputs().get(0).shape()).containsExactly(1, 3, 4);
    assertThat(bound.inputs().get(0).array()).isSameAs(first.values());
    assertThat(bound.inputs().get(1).shape()).containsExactly(1, 3, 2);
    assertThat(bound.dims()).containsEntry("T", 3L);
  }

  @Test
  void batchedRequestIsStillAcceptedWhereUnbatchedIsAllowed() throws ContractViolation {
    BoundRequest bound = binder(UNBATCHED_ALLOWED)
        .bind(request("input_1", tensor(2, 3, 4), "input_2", tensor(2, 3, 2)));

    assertThat(bound.unbatched()).isFalse();
    assertThat(bound.dims()).containsOnly(Map.entry("batch", 2L), Map.entry("T", 3L));
  }

  @Test
  void unbatchedRequestIsRejectedWhenNotAllowed() {
    ContractViolation e = violation(BATCHED_ONLY, request("input_1", tensor(3, 4), "input_2", tensor(3, 2)));

    assertThat(e.input()).isEqualTo("input_1");
    assertThat(e.expected()).isEqualTo("rank 3 [batch, T, 4]");
    assertThat(e.actual()).isEqualTo("rank 2 with shape [3, 4]");
  }

  @Test
  void wrongRankNamesBothAcceptedRanksWhenUnbatchedIsAllowed() {
    ContractViolation e = violation(UNBATCHED_ALLOWED, request("input_1", tensor(12), "input_2", tensor(3, 2)));

    assertThat(e.expected()).isEqualTo("rank 3 [batch, T, 4] or rank 2 [T, 4]");
    assertThat(e.actual()).isEqualTo("rank 1 with shape [12]");
  }

  @Test
  void unbatchedWrongFeatureSizeIsReportedOnTheRequestsAxes() {
    ContractViolation e = violation(UNBATCHED_ALLOWED, request("input_1", tensor(3, 5), "input_2", tensor(3, 2)));

    assertThat(e.expected()).isEqualTo("size 4 on axis 1 of shape [T, 4]");
    assertThat(e.actual()).isEqualTo("size 5 (shape [3, 5])");
  }

  @Test
  void mixingBatchedAndUnbatchedInputsIsRejected() {
    ContractViolation e = violation(UNBATCHED_ALLOWED, request("input_1", tensor(1, 3, 4), "input_2", tensor(3, 2)));

    assertThat(e.input()).isEqualTo("input_2");
    assertThat(e.expected()).isEqualTo("a batch axis, like the inputs before it");
    assertThat(e.actual()).isEqualTo("rank 2 (without the batch axis)");
  }

  @Test
  void mixingUnbatchedThenBatchedInputsIsRejected() {
    ContractViolation e = violation(UNBATCHED_ALLOWED, request("input_1", tensor(3, 4), "input_2", tensor(1, 3, 2)));

    assertThat(e.input()).isEqualTo("input_2");
    assertThat(e.expected()).isEqualTo("no batch axis, like the inputs before it");
    assertThat(e.actual()).isEqualTo("rank 3 (with the batch axis)");
  }

  @Test
  void aValueWithNoElementIsRefusedAtTheBoundOfItsEmptyAxisReadFromTheShapesFirstAxes() {
    // JSON writes no axis inside an empty array: [[]] is shape [1, 0], its last axes unwritten
    ContractViolation history = violation(BATCHED_ONLY, request("input_1", tensor(1, 0), "input_2", tensor(1, 0)));
    ContractViolation batch = violation(BATCHED_ONLY, request("input_1", tensor(0), "input_2", tensor(0)));
    ContractViolation unbatched = violation(UNBATCHED_ALLOWED, request("input_1", tensor(0), "input_2", tensor(0)));
    ContractViolation batchedHistory =
        violation(UNBATCHED_ALLOWED, request("input_1", tensor(1, 0), "input_2", tensor(1, 0)));

    assertThat(history.input()).isEqualTo("input_1");
    assertThat(history.expected()).isEqualTo("1 <= T <= 10 on axis 1 of shape [batch, T, 4]");
    assertThat(history.actual()).isEqualTo("T = 0");
    assertThat(batch.expected()).isEqualTo("1 <= batch <= 8 on axis 0 of shape [batch, T, 4]");
    assertThat(batch.actual()).isEqualTo("batch = 0");
    assertThat(unbatched.expected()).isEqualTo("1 <= T <= 10 on axis 0 of shape [T, 4]");
    assertThat(unbatched.actual()).isEqualTo("T = 0");
    assertThat(batchedHistory.expected()).isEqualTo(history.expected());
  }

  private static final ModelContract WITH_DEFAULTS = TestContracts.read("""
      version: 1
      model: {file: model.pt}
      dims:
        batch: {max: 8}
        T: {max: 16}
      batch: {dim: batch, unbatchedRequests: true}
      inputs:
        - {name: tokens, dtype: int64, shape: [batch, T]}
        - {name: mask, dtype: bool, shape: [batch, T], default: true}
        - {name: weights, dtype: float32, shape: [batch, 3], default: [0.5, 1, 2]}
        - {name: offset, dtype: int8, shape: [batch, 1], default: -3}
      forward:
        arguments: [{input: tokens}, {input: mask}, {input: weights}, {input: offset}]
        returns: tensor
      outputs:
        - {name: y, dtype: float32, shape: [batch, 1]}
      """);

  private static LongTensor tokens(long... shape) {
    return new LongTensor(shape, new long[(int) Tensor.sizeOf(shape)]);
  }

  @Test
  void scalarDefaultsFillTheOmittedInputsShapeWithTheRequestsDims() throws ContractViolation {
    BoundRequest bound = binder(WITH_DEFAULTS).bind(request("tokens", tokens(2, 3)));

    Tensor mask = bound.inputs().get(1);
    assertThat(mask).isInstanceOf(BooleanTensor.class);
    assertThat(mask.shape()).containsExactly(2, 3);
    assertThat(((BooleanTensor) mask).values()).containsExactly(true, true, true, true, true, true);
    Tensor offset = bound.inputs().get(3);
    assertThat(offset.shape()).containsExactly(2, 1);
    assertThat(((LongTensor) offset).values()).containsExactly(-3L, -3L);
    assertThat(bound.dims()).containsOnly(Map.entry("batch", 2L), Map.entry("T", 3L));
  }

  @Test
  void arrayDefaultIsRepeatedOverTheBatch() throws ContractViolation {
    BoundRequest bound = binder(WITH_DEFAULTS).bind(request("tokens", tokens(3, 5)));

    Tensor weights = bound.inputs().get(2);
    assertThat(weights.shape()).containsExactly(3, 3);
    assertThat(((FloatTensor) weights).values()).containsExactly(0.5f, 1f, 2f, 0.5f, 1f, 2f, 0.5f, 1f, 2f);
  }

  @Test
  void unbatchedRequestGetsItsOmittedInputsAsABatchOfOne() throws ContractViolation {
    BoundRequest bound = binder(WITH_DEFAULTS).bind(request("tokens", tokens(4)));

    assertThat(bound.unbatched()).isTrue();
    assertThat(bound.dims()).containsOnly(Map.entry("batch", 1L), Map.entry("T", 4L));
    assertThat(bound.inputs().get(0).shape()).containsExactly(1, 4);
    assertThat(bound.inputs().get(1).shape()).containsExactly(1, 4);
    assertThat(((BooleanTensor) bound.inputs().get(1)).values()).containsExactly(true, true, true, true);
    assertThat(bound.inputs().get(2).shape()).containsExactly(1, 3);
    assertThat(((FloatTensor) bound.inputs().get(2)).values()).containsExactly(0.5f, 1f, 2f);
  }

  @Test
  void optionalInputSentInTheRequestIsUsedAsSent() throws ContractViolation {
    BooleanTensor mask = new BooleanTensor(new long[] {1, 2}, new boolean[] {true, false});

    BoundRequest bound = binder(WITH_DEFAULTS).bind(request("tokens", tokens(1, 2), "mask", mask));

    assertThat(bound.inputs().get(1)).isSameAs(mask);
  }

  @Test
  void eachRequestGetsItsOwnCopyOfADefault() throws ContractViolation {
    InputBinder binder = binder(WITH_DEFAULTS);
    FloatTensor first = (FloatTensor) binder.bind(request("tokens", tokens(1, 2))).inputs().get(2);
    first.values()[0] = 99f; // serving normalizes inputs in place

    FloatTensor second = (FloatTensor) binder.bind(request("tokens", tokens(1, 2))).inputs().get(2);

    assertThat(second.values()).containsExactly(0.5f, 1f, 2f);
  }

  @Test
  void tensorOfAnotherStorageThanTheDTypeIsRejected() {
    DoubleTensor doubles = new DoubleTensor(new long[] {1, 2}, new double[] {1, 2});

    ContractViolation e = violation(WITH_DEFAULTS, request("tokens", doubles));

    assertThat(e.input()).isEqualTo("tokens");
    assertThat(e.pointer()).isEqualTo("/tokens");
    assertThat(e.expected()).isEqualTo("int64 values");
    assertThat(e.actual()).isEqualTo("double values");
  }

  @Test
  void defaultThatIsNotOfTheInputsDTypeIsAContractProblemAtTheDefault() {
    String yaml = """
        version: 1
        model: {file: model.pt}
        dims: {batch: {max: 8}}
        batch: {dim: batch}
        inputs:
          - name: x
            dtype: float32
            shape: [batch, 2]
          - name: n
            dtype: int64
            shape: [batch, 1]
            default: 1.5
        forward:
          arguments: [{input: x}, {input: n}]
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [batch, 1]}
        """;
    ModelContract contract = TestContracts.read(yaml);

    ContractException e = catchThrowableOfType(ContractException.class, () -> new InputBinder(contract));

    assertThat(e).isNotNull();
    assertThat(e.file()).isEqualTo("test.yaml");
    assertThat(e.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.pointer()).isEqualTo("/inputs/1/default");
      assertThat(problem.location()).startsWith("test.yaml:" + lineOf(yaml, "default: 1.5") + ":");
      assertThat(problem.message()).isEqualTo("the default of input 'n' is not a valid int64 value: 'n' at /n: expected an"
          + " int64 integer from -9223372036854775808 to 9223372036854775807, but got 1.5, not an integer");
      assertThat(problem.suggestion()).isEqualTo("give a value of the input's dtype");
    });
  }

  @Test
  void defaultArrayOfAnotherShapeIsAContractProblemAtTheDefault() {
    String yaml = """
        version: 1
        model: {file: model.pt}
        dims: {batch: {max: 8}}
        batch: {dim: batch}
        inputs:
          - name: x
            dtype: float32
            shape: [batch, 2]
          - name: w
            dtype: float32
            shape: [batch, 3]
            default: [1, 2]
          - name: m
            dtype: bool
            shape: [batch, 3]
            default: 0
        forward:
          arguments: [{input: x}, {input: w}, {input: m}]
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [batch, 1]}
        """;
    ModelContract contract = TestContracts.read(yaml);

    ContractException e = catchThrowableOfType(ContractException.class, () -> new InputBinder(contract));

    assertThat(e.problems()).hasSize(2);
    ContractProblem shape = e.problems().get(0);
    assertThat(shape.pointer()).isEqualTo("/inputs/1/default");
    assertThat(shape.location()).startsWith("test.yaml:" + lineOf(yaml, "default: [1, 2]") + ":");
    assertThat(shape.message()).isEqualTo("the default of input 'w' has shape [2], but the input's shape without the"
        + " batch axis is [3]");
    ContractProblem dtype = e.problems().get(1);
    assertThat(dtype.pointer()).isEqualTo("/inputs/2/default");
    assertThat(dtype.location()).startsWith("test.yaml:" + lineOf(yaml, "default: 0") + ":");
    assertThat(dtype.message()).endsWith("expected true or false, but got the value 0");
  }

  private static int lineOf(String text, String needle) {
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(needle)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line holds " + needle);
  }
}
