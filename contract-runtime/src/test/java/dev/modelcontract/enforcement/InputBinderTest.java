package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputBinderTest {

  private static final ModelContract BATCHED_ONLY = TestContracts.twoInputs(false);
  private static final ModelContract UNBATCHED_ALLOWED = TestContracts.twoInputs(true);

  private static FloatTensor tensor(long... shape) {
    float[] values = new float[(int) FloatTensor.sizeOf(shape)];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    return new FloatTensor(shape, values);
  }

  private static Map<String, FloatTensor> request(Object... namesAndTensors) {
    Map<String, FloatTensor> request = new LinkedHashMap<>();
    for (int i = 0; i < namesAndTensors.length; i += 2) {
      request.put((String) namesAndTensors[i], (FloatTensor) namesAndTensors[i + 1]);
    }
    return request;
  }

  private static ContractViolation violation(ModelContract contract, Map<String, FloatTensor> request) {
    ContractViolation e = catchThrowableOfType(ContractViolation.class, () -> new InputBinder(contract).bind(request));
    assertThat(e).as("binding should fail").isNotNull();
    return e;
  }

  @Test
  void batchedRequestBindsInputsInContractOrderWithTheirDims() throws ContractViolation {
    FloatTensor first = tensor(2, 3, 4);
    FloatTensor second = tensor(2, 3, 2);

    // the request names input_2 first: the bound request follows the contract's order
    BoundRequest bound = new InputBinder(BATCHED_ONLY).bind(request("input_2", second, "input_1", first));

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
    BoundRequest bound = new InputBinder(BATCHED_ONLY)
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

    BoundRequest bound = new InputBinder(UNBATCHED_ALLOWED).bind(request("input_1", first, "input_2", second));

    assertThat(bound.unbatched()).isTrue();
    assertThat(bound.inputs()).hasSize(2);
    assertThat(bound.inputs().get(0).shape()).containsExactly(1, 3, 4);
    assertThat(bound.inputs().get(0).values()).isSameAs(first.values());
    assertThat(bound.inputs().get(1).shape()).containsExactly(1, 3, 2);
    assertThat(bound.dims()).containsEntry("T", 3L);
  }

  @Test
  void batchedRequestIsStillAcceptedWhereUnbatchedIsAllowed() throws ContractViolation {
    BoundRequest bound = new InputBinder(UNBATCHED_ALLOWED)
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
}
