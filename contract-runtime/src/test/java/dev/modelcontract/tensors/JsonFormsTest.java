package dev.modelcontract.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.DType;
import dev.modelcontract.enforcement.TestContracts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The JSON forms a request arrives in, and the answer written back in the same form. */
class JsonFormsTest {

  private final JsonTensorReader reader = new JsonTensorReader(Map.of(
      "x", new ElementType(DType.FLOAT32, false), "n", new ElementType(DType.INT64, false)));

  private RequestBody read(JsonTensorReader with, String json) throws Exception {
    return with.readRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private TensorFormatException failure(String json) {
    TensorFormatException e = catchThrowableOfType(TensorFormatException.class, () -> read(reader, json));
    assertThat(e).as("decoding %s should fail", json).isNotNull();
    return e;
  }

  private static String write(JsonForm form, Map<String, Tensor> tensors) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JsonTensorWriter().write(form, tensors, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void namedTensorsAtTheTopAreTheNamedForm() throws Exception {
    RequestBody request = read(reader, "{\"x\": [[1, 2]], \"n\": [3]}");

    assertThat(request.envelope().form()).isEqualTo(JsonForm.NAMED);
    assertThat(request.tensors().get("x").shape()).containsExactly(1, 2);
  }

  @Test
  void inputsWrapsNamedTensorsAndValuesArePointedToInsideIt() throws Exception {
    RequestBody request = read(reader, "{\"inputs\": {\"x\": [[1, 2]], \"n\": [3]}}");

    assertThat(request.envelope().form()).isEqualTo(JsonForm.INPUTS);
    assertThat(((FloatTensor) request.tensors().get("x")).values()).containsExactly(1f, 2f);
    ContractViolation e = catchThrowableOfType(ContractViolation.class,
        () -> read(reader, "{\"inputs\": {\"x\": [[1, \"2\"]]}}"));
    assertThat(e.pointer()).isEqualTo("/inputs/x/0/1");
  }

  @Test
  void instancesAreBatchItemsStackedAlongANewFirstAxis() throws Exception {
    RequestBody request = read(reader,
        "{\"instances\": [{\"x\": [1, 2], \"n\": 7}, {\"x\": [3, 4], \"n\": 8}, {\"x\": [5, 6], \"n\": 9}]}");

    assertThat(request.envelope().form()).isEqualTo(JsonForm.INSTANCES);
    assertThat(request.tensors().get("x").shape()).containsExactly(3, 2);
    assertThat(((FloatTensor) request.tensors().get("x")).values()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
    assertThat(((LongTensor) request.tensors().get("n")).values()).containsExactly(7L, 8L, 9L);
  }

  @Test
  void instancesMustAgreeOnNamesAndShapesAndBeThere() {
    assertThat(failure("{\"instances\": [{\"x\": [1, 2]}, {\"x\": [3]}]}").pointer()).isEqualTo("/instances/1/x");
    assertThat(failure("{\"instances\": [{\"x\": [1, 2]}, {\"n\": 3}]}").pointer()).isEqualTo("/instances/1");
    assertThat(failure("{\"instances\": []}").getMessage()).contains("holds no instance");
    assertThat(failure("{\"instances\": [[1, 2]]}").pointer()).isEqualTo("/instances/0");
    assertThat(failure("{\"instances\": [{\"x\": [1, 2]}], \"x\": [1]}").getMessage())
        .contains("holds nothing else");
    assertThat(failure("{\"instances\": [{\"zz\": 1}, {\"zz\": \"a\"}]}").pointer())
        .as("undeclared values inferred per instance must agree").isEqualTo("/instances/1/zz");
  }

  @Test
  void openInferenceProtocolInputsAreReadFlatOrNestedWithTheirIdAndCheckedAgainstTheDeclaredDType()
      throws Exception {
    RequestBody request = read(reader, "{\"id\": \"42\", \"inputs\": ["
        + "{\"name\": \"x\", \"shape\": [2, 2], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]},"
        + "{\"name\": \"n\", \"datatype\": \"INT64\", \"shape\": [1, 3], \"data\": [[7, 8, 9]],"
        + " \"parameters\": {\"a\": 1}}], \"parameters\": {}, \"outputs\": [{\"name\": \"y\"}]}");

    assertThat(request.envelope().form()).isEqualTo(JsonForm.OPEN_INFERENCE);
    assertThat(((OpenInferenceEnvelope) request.envelope()).id()).isEqualTo("42");
    assertThat(request.tensors().get("x").shape()).containsExactly(2, 2);
    assertThat(((FloatTensor) request.tensors().get("x")).values()).containsExactly(1f, 2f, 3f, 4f);
    assertThat(((LongTensor) request.tensors().get("n")).values()).containsExactly(7L, 8L, 9L);

    ContractViolation wrongType = catchThrowableOfType(ContractViolation.class, () -> read(reader,
        "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}]}"));
    assertThat(wrongType.pointer()).isEqualTo("/inputs/0/datatype");
    assertThat(wrongType.expected()).startsWith("datatype FP32");
    assertThat(failure("{\"inputs\": [{\"name\": \"x\", \"shape\": [3], \"datatype\": \"FP32\","
        + " \"data\": [1, 2]}]}").getMessage()).contains("has shape [3], but its data holds 2 values");
    assertThat(failure("{\"inputs\": [{\"name\": \"x\", \"shape\": [4611686018427387904, 4],"
        + " \"datatype\": \"FP32\", \"data\": [1, 2]}]}").pointer()).isEqualTo("/inputs/0/data");
    assertThat(failure("{\"inputs\": [{\"data\": [1], \"name\": \"x\"}]}").getMessage())
        .contains("put 'name' before 'data'");
    assertThat(failure("{\"inputs\": [{\"name\": \"x\", \"data\": [1]}]}").getMessage())
        .contains("needs 'name', 'shape', 'datatype' and 'data'");
    assertThat(failure("{\"inputs\": {\"x\": [1]}, \"id\": \"1\"}").getMessage())
        .contains("a member of Open Inference Protocol requests");
    assertThat(failure("{\"id\": \"1\"}").getMessage()).contains("has 'id' but no 'inputs'");
  }

  @Test
  void aDeclaredTensorNamedInputsIsATensorNotAWrapper() throws Exception {
    JsonTensorReader declared = new JsonTensorReader(Map.of("inputs", new ElementType(DType.FLOAT32, false)));

    RequestBody request = read(declared, "{\"inputs\": [[1, 2]]}");

    assertThat(request.envelope().form()).isEqualTo(JsonForm.NAMED);
    assertThat(request.tensors()).containsOnlyKeys("inputs");
  }

  @Test
  void answersTakeTheRequestsForm() {
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    outputs.put("y", new FloatTensor(new long[] {2, 1}, new float[] {0.5f, 1.5f}));
    outputs.put("label", new StringTensor(new long[] {2}, new String[] {"up", "down"}));

    assertThat(write(JsonForm.NAMED, outputs)).isEqualTo("{\"y\":[[0.5],[1.5]],\"label\":[\"up\",\"down\"]}");
    assertThat(write(JsonForm.INPUTS, outputs))
        .isEqualTo("{\"outputs\":{\"y\":[[0.5],[1.5]],\"label\":[\"up\",\"down\"]}}");
    assertThat(write(JsonForm.INSTANCES, outputs))
        .isEqualTo("{\"predictions\":[{\"y\":[0.5],\"label\":\"up\"},{\"y\":[1.5],\"label\":\"down\"}]}");
  }

  @Test
  void eachEnvelopeLocatesATensorValueWhereItSitsInTheBodyAsSent() throws Exception {
    assertThat(read(reader, "{\"x\": [[1, 2]], \"n\": [3]}").envelope().locate("/x/0/1")).isEqualTo("/x/0/1");
    assertThat(read(reader, "{\"inputs\": {\"x\": [[1, 2]]}}").envelope().locate("/x/0/1"))
        .isEqualTo("/inputs/x/0/1");
    Envelope instances = read(reader, "{\"instances\": [{\"x\": [1, 2], \"n\": 7}, {\"x\": [3, 4], \"n\": 8}]}")
        .envelope();
    assertThat(instances.locate("/x/1/0")).isEqualTo("/instances/1/x/0");
    assertThat(instances.locate("/n/1")).isEqualTo("/instances/1/n");
    assertThat(instances.locate("/x")).isEqualTo("/instances");
    assertThat(instances.holdsBatchItems()).isTrue();
    Envelope protocol = read(reader, "{\"inputs\": [{\"name\": \"n\", \"shape\": [1], \"datatype\": \"INT64\","
        + " \"data\": [7]}, {\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [1, 2]}]}")
        .envelope();
    assertThat(protocol.locate("/x/0/1")).isEqualTo("/inputs/1/data/1");
    assertThat(protocol.locate("/n/0")).isEqualTo("/inputs/0/data/0");
    assertThat(protocol.locate("/n")).isEqualTo("/inputs/0/data");
    assertThat(protocol.locate("/missing")).isEqualTo("/inputs");
    Envelope nested = read(reader, "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 2], \"datatype\": \"FP32\","
        + " \"data\": [[1, 2], [3, 4]]}]}").envelope();
    Envelope flat = read(reader, "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 2], \"datatype\": \"FP32\","
        + " \"data\": [1, 2, 3, 4]}]}").envelope();
    assertThat(nested.locate("/x/1/0")).isEqualTo("/inputs/0/data/1/0");
    assertThat(flat.locate("/x/1/0")).isEqualTo("/inputs/0/data/2");
  }

  @Test
  void aContractsReaderRefusesAnUndeclaredNameWhereItStandsInEveryForm() {
    JsonTensorReader contract = JsonTensorReader.forInputs(TestContracts.twoInputs(false));
    String manyKeys = IntStream.range(0, 200_000).mapToObj(i -> "\"k" + i + "\": 1")
        .collect(Collectors.joining(", ", "{", "}"));
    Map<String, String> pointers = Map.of(
        manyKeys, "/k0",
        "{\"input_1\": [[[1, 2, 3, 4]]], \"extra\": [1]}", "/extra",
        "{\"inputs\": {\"extra\": [1]}}", "/inputs/extra",
        "{\"instances\": [{\"input_1\": [[1, 2, 3, 4]], \"extra\": 1}]}", "/instances/0/extra",
        "{\"inputs\": [{\"name\": \"extra\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}",
        "/inputs/0/name");
    pointers.forEach((json, pointer) -> {
      ContractViolation e = catchThrowableOfType(ContractViolation.class, () -> read(contract, json));
      assertThat(e).as(json.length() > 80 ? json.substring(0, 80) : json).isNotNull();
      assertThat(e.pointer()).isEqualTo(pointer);
      assertThat(e.actual()).isEqualTo("an input the contract does not declare");
      assertThat(e.expected()).isEqualTo("one of the contract's inputs [input_1, input_2]");
    });
  }
  @Test
  void aContractsReaderRefusesTheInstancePastTheBatchBoundBeforeReadingIt() throws Exception {
    JsonTensorReader contract = JsonTensorReader.forInputs(TestContracts.twoInputs(false));
    String instance = "{\"input_1\": [[1, 2, 3, 4]], \"input_2\": [[5, 6]]}";
    String eight = IntStream.range(0, 8).mapToObj(i -> instance).collect(Collectors.joining(", ", "{\"instances\": [",
        "]}"));
    // the ninth is not even valid JSON: the refusal comes before it is read
    String tooMany = eight.substring(0, eight.length() - 2) + ", {\"input_1\": oops";

    assertThat(read(contract, eight).tensors().get("input_1").shape()).containsExactly(8, 1, 4);
    ContractViolation e = catchThrowableOfType(ContractViolation.class, () -> read(contract, tooMany));
    assertThat(e).isNotNull();
    assertThat(e.pointer()).isEqualTo("/instances");
    assertThat(e.expected()).isEqualTo("1 <= batch <= 8, one instance per batch item");
    assertThat(e.actual()).isEqualTo("more than 8 instances");
  }
  @Test
  void aStringLongerThanAnyTensorElementIsRefusedWithoutBeingReadWhole() {
    String json = "{\"input_1\": \"" + "x".repeat(JsonTensorReader.MAX_STRING_LENGTH * 4) + "\"}";

    TensorFormatException e = catchThrowableOfType(TensorFormatException.class,
        () -> read(JsonTensorReader.forInputs(TestContracts.twoInputs(false)), json));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("a string longer than the " + JsonTensorReader.MAX_STRING_LENGTH
        + " characters this server reads")
        .doesNotContain("StreamReadConstraints");
  }
}
