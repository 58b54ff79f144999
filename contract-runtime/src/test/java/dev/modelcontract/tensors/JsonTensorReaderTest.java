package dev.modelcontract.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.DType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The JSON structure of a body: objects of rectangular arrays, scalars, pointers of what is wrong. */
class JsonTensorReaderTest {

  private static Map<String, Tensor> read(String json) throws TensorFormatException, ContractViolation, IOException {
    return read(new JsonTensorReader(), json);
  }

  private static Map<String, Tensor> read(JsonTensorReader reader, String json)
      throws TensorFormatException, ContractViolation, IOException {
    return reader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  /** A reader that takes {@code x} as a finite float32 input, as a contract would. */
  private static JsonTensorReader float32(String name) {
    return new JsonTensorReader(Map.of(name, new ElementType(DType.FLOAT32, false)));
  }

  private static TensorFormatException failure(String json) {
    return failure(new JsonTensorReader(), json);
  }

  private static ContractViolation violation(JsonTensorReader reader, String json) {
    ContractViolation e = catchThrowableOfType(ContractViolation.class, () -> read(reader, json));
    assertThat(e).as("decoding %s should be refused", json).isNotNull();
    return e;
  }

  private static TensorFormatException failure(JsonTensorReader reader, String json) {
    TensorFormatException e = catchThrowableOfType(TensorFormatException.class, () -> read(reader, json));
    assertThat(e).as("decoding %s should fail", json).isNotNull();
    return e;
  }

  @Test
  void nestedArraysBecomeShapeAndRowMajorValues() throws Exception {
    Map<String, Tensor> tensors = read(
        "{\"input_1\": [[[1.5, 2.5], [3.5, 4.5], [5.5, 6.5]], [[7, 8], [9, 10], [11, 12]]], \"input_2\": [0.25, -1]}");

    assertThat(tensors.keySet()).containsExactly("input_1", "input_2");
    DoubleTensor first = (DoubleTensor) tensors.get("input_1");
    assertThat(first.shape()).containsExactly(2, 3, 2);
    assertThat(first.rank()).isEqualTo(3);
    assertThat(first.values()).containsExactly(1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7, 8, 9, 10, 11, 12);
    assertThat(tensors.get("input_2").shape()).containsExactly(2);
    assertThat(((DoubleTensor) tensors.get("input_2")).values()).containsExactly(0.25, -1);
  }

  @Test
  void integersAreAcceptedForAFloatInput() throws Exception {
    FloatTensor tensor = (FloatTensor) read(float32("x"), "{\"x\": [[1, 2], [-3, 40000]]}").get("x");

    assertThat(tensor.shape()).containsExactly(2, 2);
    assertThat(tensor.values()).containsExactly(1f, 2f, -3f, 40000f);
  }

  @Test
  void float32ValuesAreRoundedToFloat32() throws Exception {
    FloatTensor tensor = (FloatTensor) read(float32("x"), "{\"x\": [0.1, 1e-3, 3.4e38]}").get("x");

    assertThat(tensor.values()).containsExactly(0.1f, 0.001f, 3.4e38f);
  }

  @Test
  void scalarIsRankZero() throws Exception {
    Tensor tensor = read("{\"x\": 2.5}").get("x");

    assertThat(tensor.rank()).isZero();
    assertThat(tensor.shape()).isEmpty();
    assertThat(((DoubleTensor) tensor).values()).containsExactly(2.5);
  }

  @Test
  void emptyObjectHoldsNoTensors() throws Exception {
    assertThat(read("{}")).isEmpty();
  }

  @Test
  void largeArraysGrowPastTheInitialBuffer() throws Exception {
    StringBuilder json = new StringBuilder("{\"x\": [");
    for (int i = 0; i < 1000; i++) {
      json.append(i == 0 ? "" : ",").append('[').append(i).append(',').append(-i).append(']');
    }
    FloatTensor tensor = (FloatTensor) read(float32("x"), json.append("]}").toString()).get("x");

    assertThat(tensor.shape()).containsExactly(1000, 2);
    assertThat(tensor.values()[0]).isEqualTo(0f);
    assertThat(tensor.values()[1998]).isEqualTo(999f);
    assertThat(tensor.values()[1999]).isEqualTo(-999f);
  }

  @Test
  void raggedArrayNamesTheShortRow() {
    TensorFormatException e = failure("{\"input_1\": [[1, 2], [3]]}");

    assertThat(e.pointer()).isEqualTo("/input_1/1");
    assertThat(e.getMessage())
        .isEqualTo("ragged array: expected 2 elements on axis 1, as in the first row, but found 1");
  }

  @Test
  void raggedArrayInTheSecondTensorNamesThatTensor() {
    TensorFormatException e = failure("{\"a\": [1], \"input_2\": [[[1], [2]], [[3], [4], [5]]]}");

    assertThat(e.pointer()).isEqualTo("/input_2/1");
  }

  @Test
  void stringAmongNumbersOfAnUntypedTensorNamesTheExactElement() {
    TensorFormatException e = failure("{\"x\": [[1, 2], [3, \"4\"]]}");

    assertThat(e).isNotInstanceOf(ContractViolation.class);
    assertThat(e.pointer()).isEqualTo("/x/1/1");
    assertThat(e.getMessage()).isEqualTo("'x' mixes value types: the string \"4\"");
  }

  @Test
  void stringInAFloatInputIsAValueTypeErrorNamingTheInputAndElement() {
    ContractViolation e = catchThrowableOfType(ContractViolation.class,
        () -> read(float32("x"), "{\"x\": [[1, 2], [3, \"4\"]]}"));

    assertThat(e.input()).isEqualTo("x");
    assertThat(e.expected()).isEqualTo("a finite float32 number");
    assertThat(e.actual()).isEqualTo("the string \"4\"");
    assertThat(e.pointer()).isEqualTo("/x/1/1");
    assertThat(e.getMessage()).isEqualTo("'x' at /x/1/1: expected a finite float32 number, but got the string \"4\"");
  }

  @Test
  void nullValueNamesTheExactElement() {
    TensorFormatException e = failure("{\"x\": [[null, 2]]}");

    assertThat(e.pointer()).isEqualTo("/x/0/0");
    assertThat(e.getMessage()).isEqualTo("'x' mixes value types: null");
    assertThat(violation(float32("x"), "{\"x\": [[1, null]]}").getMessage())
        .isEqualTo("'x' at /x/0/1: expected a finite float32 number, but got null");
  }

  @Test
  void booleanAmongNumbersNamesTheExactElement() {
    TensorFormatException e = failure("{\"x\": [1, 2, true]}");

    assertThat(e.pointer()).isEqualTo("/x/2");
    assertThat(e.getMessage()).isEqualTo("'x' mixes value types: the boolean true");
  }

  @Test
  void objectValueIsRejected() {
    TensorFormatException e = failure("{\"x\": [{\"y\": 1}]}");

    assertThat(e.pointer()).isEqualTo("/x/0");
    assertThat(e.getMessage()).isEqualTo("expected a value or an array, found an object");
  }

  @Test
  void valueWhereAnArrayWasExpectedIsRejected() {
    TensorFormatException e = failure("{\"x\": [[1, 2], 3]}");

    assertThat(e.pointer()).isEqualTo("/x/1");
    assertThat(e.getMessage()).isEqualTo("expected an array at depth 1, found a value");
  }

  @Test
  void arrayWhereAValueWasExpectedIsRejected() {
    TensorFormatException e = failure("{\"x\": [1, [2, 3]]}");

    assertThat(e.pointer()).isEqualTo("/x/1");
    assertThat(e.getMessage()).isEqualTo("expected a value at depth 1, found an array");
  }

  @Test
  void emptyArrayIsRejected() {
    TensorFormatException e = failure("{\"x\": []}");

    assertThat(e.pointer()).isEqualTo("/x");
    assertThat(e.getMessage()).isEqualTo("an empty array holds no tensor");
  }

  @Test
  void emptyInnerRowIsRejected() {
    assertThat(failure("{\"x\": [[]]}").pointer()).isEqualTo("/x/0");
    assertThat(failure("{\"x\": [[1], []]}").pointer()).isEqualTo("/x/1");
  }

  @Test
  void nestingDeeperThanMaxRankIsRejected() {
    String json = "{\"x\": " + "[".repeat(Tensor.MAX_RANK + 1) + "1"
        + "]".repeat(Tensor.MAX_RANK + 1) + "}";

    TensorFormatException e = failure(json);

    assertThat(e.pointer()).isEqualTo("/x" + "/0".repeat(Tensor.MAX_RANK));
    assertThat(e.getMessage()).isEqualTo("arrays are nested deeper than " + Tensor.MAX_RANK + " levels");
  }

  @Test
  void duplicateKeyIsRejected() {
    TensorFormatException e = failure("{\"x\": [1], \"x\": [2]}");

    assertThat(e.pointer()).isEqualTo("/x");
    assertThat(e.getMessage()).isEqualTo("'x' appears twice in the body");
  }

  @Test
  void keysAreEscapedInPointers() {
    TensorFormatException e = failure("{\"a/b~c\": [1, \"x\"]}");

    assertThat(e.pointer()).isEqualTo("/a~1b~0c/1");
  }

  @Test
  void nonObjectBodyIsRejected() {
    for (String body : new String[] {"[[1, 2]]", "3", "\"x\"", ""}) {
      TensorFormatException e = failure(body);

      assertThat(e.pointer()).as(body).isEmpty();
      assertThat(e.getMessage()).as(body).startsWith("the body must be a JSON object of named tensors");
    }
  }

  @Test
  void invalidJsonIsRejectedWithItsLocation() {
    TensorFormatException e = failure("{\"x\": [1, 2,, 3]}");

    assertThat(e.pointer()).isEmpty();
    assertThat(e.getMessage()).startsWith("the body is not valid JSON").contains("line 1, column");
  }

  @Test
  void truncatedJsonIsRejected() {
    TensorFormatException e = failure("{\"x\": [1, 2");

    assertThat(e.pointer()).isEmpty();
    assertThat(e.getMessage()).startsWith("the body is not valid JSON");
  }

  @Test
  void trailingValueIsRejected() {
    TensorFormatException e = failure("{\"x\": [1]} {\"y\": [2]}");

    assertThat(e.pointer()).isEmpty();
    assertThat(e.getMessage()).isEqualTo("the body holds more than one JSON value");
  }

  @Test
  void valueOutsideFloat32RangeIsRejectedForAFloat32Input() {
    ContractViolation e = violation(float32("x"), "{\"x\": [[1, 2], [3, 1e39]]}");

    assertThat(e.pointer()).isEqualTo("/x/1/1");
    assertThat(e.getMessage())
        .isEqualTo("'x' at /x/1/1: expected a finite float32 number, but got 1e39, outside the float32 range");
    assertThat(violation(float32("x"), "{\"x\": [-1e39]}").pointer()).isEqualTo("/x/0");
  }

  @Test
  void streamIsReadButNotClosed() throws Exception {
    AtomicBoolean closed = new AtomicBoolean();
    InputStream in = new ByteArrayInputStream("{\"x\": [1]}".getBytes(StandardCharsets.UTF_8)) {
      @Override
      public void close() throws IOException {
        closed.set(true);
        super.close();
      }
    };

    Map<String, Tensor> tensors = new JsonTensorReader().read(in);

    assertThat(((DoubleTensor) tensors.get("x")).values()).containsExactly(1.0);
    assertThat(closed).isFalse();
  }
}
