package dev.modelcontract.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.ModelContract;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each declared dtype takes exactly the JSON values it can hold, and refuses the rest naming the input. */
class JsonTensorReaderDTypeTest {

  private static Tensor read(DType dtype, boolean allowNonFinite, String array) throws Exception {
    JsonTensorReader reader = new JsonTensorReader(Map.of("v", new ElementType(dtype, allowNonFinite)));
    return reader.read(body("{\"v\": " + array + "}")).get("v");
  }

  private static Tensor read(DType dtype, String array) throws Exception {
    return read(dtype, false, array);
  }

  private static ByteArrayInputStream body(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  private static ContractViolation refusal(DType dtype, boolean allowNonFinite, String array) {
    ContractViolation e = catchThrowableOfType(ContractViolation.class, () -> read(dtype, allowNonFinite, array));
    assertThat(e).as("%s should refuse %s", dtype, array).isNotNull();
    assertThat(e.input()).isEqualTo("v");
    return e;
  }

  private static ContractViolation refusal(DType dtype, String array) {
    return refusal(dtype, false, array);
  }

  private static long[] longs(Tensor tensor) {
    return ((LongTensor) tensor).values();
  }

  private static float[] floats(Tensor tensor) {
    return ((FloatTensor) tensor).values();
  }

  @Test
  void anEmptyArrayOfADeclaredTypeIsATensorWithNoElementShapedAsFarAsItWasWritten() throws Exception {
    assertThat(read(DType.FLOAT32, "[]").shape()).containsExactly(0);
    assertThat(read(DType.FLOAT32, "[[]]").shape()).containsExactly(1, 0);
    assertThat(read(DType.INT64, "[[], []]").shape()).containsExactly(2, 0);
    assertThat(read(DType.BOOL, "[[[]]]").shape()).containsExactly(1, 1, 0);
    assertThat(read(DType.FLOAT32, "[[]]").size()).isZero();
    for (String ragged : new String[] {"[[], [1]]", "[[1], []]", "[[], [[]]]", "[[], 1]"}) {
      assertThat(catchThrowableOfType(TensorFormatException.class, () -> read(DType.FLOAT32, ragged)))
          .as(ragged).isNotNull();
    }
  }

  @Test
  void aValueNotOfAnIntegerInputsTypeIsRefusedQuotingTheContractsRangeWhereItHasOne() throws Exception {
    ModelContract contract = new ContractReader().read("c.yaml", body("""
        version: 1
        model: {file: net.pt}
        inputs:
          - {name: a, dtype: int64, shape: [2], range: {min: 0, max: 19}}
          - {name: b, dtype: int32, shape: [2], range: {min: -3}}
          - {name: c, dtype: float32, shape: [2], range: {max: 1}}
          - {name: d, dtype: int8, shape: [2]}
        forward: {arguments: [{input: a}, {input: b}, {input: c}, {input: d}], returns: tensor}
        outputs:
          - {name: y, dtype: float32, shape: [1]}
        """));
    JsonTensorReader reader = JsonTensorReader.forInputs(contract);
    Map<String, String> expected = Map.of(
        "{\"a\": [1, 2.5]}", "an int64 integer from 0 to 19 (the contract's range)",
        "{\"b\": [1, \"x\"]}", "an int32 integer at least -3 (the contract's range)",
        "{\"c\": [1, true]}", "a finite float32 number at most 1 (the contract's range)",
        "{\"d\": [1, 2.5]}", "an int8 integer from -128 to 127");

    for (Map.Entry<String, String> value : expected.entrySet()) {
      ContractViolation e = catchThrowableOfType(ContractViolation.class, () -> reader.read(body(value.getKey())));

      assertThat(e).as(value.getKey()).isNotNull();
      assertThat(e.expected()).as(value.getKey()).isEqualTo(value.getValue());
    }
  }

  @Test
  void int64KeepsValuesBeyondTwoToThe53Exactly() throws Exception {
    Tensor tensor = read(DType.INT64, "[9007199254740993, -9007199254740993, 9223372036854775807, "
        + "-9223372036854775808]");

    assertThat(tensor).isInstanceOf(LongTensor.class);
    assertThat(longs(tensor)).containsExactly(9007199254740993L, -9007199254740993L, Long.MAX_VALUE, Long.MIN_VALUE);
  }

  @Test
  void int64RefusesValuesBeyondItsRange() {
    ContractViolation e = refusal(DType.INT64, "[1, 9223372036854775808]");

    assertThat(e.pointer()).isEqualTo("/v/1");
    assertThat(e.expected()).isEqualTo("an int64 integer from -9223372036854775808 to 9223372036854775807");
    assertThat(e.actual()).isEqualTo("9223372036854775808, outside the int64 range");
    assertThat(refusal(DType.INT64, "[-9223372036854775809]").actual())
        .isEqualTo("-9223372036854775809, outside the int64 range");
  }

  @Test
  void integerWrittenWithAFractionPartIsAcceptedForAnIntegerInput() throws Exception {
    assertThat(longs(read(DType.INT64, "[3.0, -2.00, 3e2, 9007199254740993.0]")))
        .containsExactly(3L, -2L, 300L, 9007199254740993L);
    assertThat(longs(read(DType.INT8, "[127.0]"))).containsExactly(127L);
  }

  @Test
  void fractionIsRefusedForAnIntegerInputNeverRounded() {
    ContractViolation e = refusal(DType.INT64, "[[1, 1.5]]");

    assertThat(e.pointer()).isEqualTo("/v/0/1");
    assertThat(e.actual()).isEqualTo("1.5, not an integer");
    assertThat(e.getMessage()).isEqualTo("'v' at /v/0/1: expected an int64 integer from -9223372036854775808 to "
        + "9223372036854775807, but got 1.5, not an integer");
    assertThat(refusal(DType.INT32, "[2.0000001]").actual()).isEqualTo("2.0000001, not an integer");
    assertThat(refusal(DType.UINT8, "[NaN]").actual()).isEqualTo("NaN, not an integer");
  }

  @Test
  void int8TakesMinus128To127() throws Exception {
    assertThat(longs(read(DType.INT8, "[-128, 0, 127]"))).containsExactly(-128L, 0L, 127L);

    ContractViolation e = refusal(DType.INT8, "[0, 128]");
    assertThat(e.expected()).isEqualTo("an int8 integer from -128 to 127");
    assertThat(e.actual()).isEqualTo("128, outside the int8 range");
    assertThat(refusal(DType.INT8, "[-129]").actual()).isEqualTo("-129, outside the int8 range");
  }

  @Test
  void uint8Takes0To255() throws Exception {
    assertThat(longs(read(DType.UINT8, "[0, 255]"))).containsExactly(0L, 255L);

    ContractViolation e = refusal(DType.UINT8, "[256]");
    assertThat(e.expected()).isEqualTo("a uint8 integer from 0 to 255");
    assertThat(e.actual()).isEqualTo("256, outside the uint8 range");
    assertThat(refusal(DType.UINT8, "[-1]").actual()).isEqualTo("-1, outside the uint8 range");
  }

  @Test
  void int32TakesItsRangeOnly() throws Exception {
    assertThat(longs(read(DType.INT32, "[-2147483648, 2147483647]"))).containsExactly(-2147483648L, 2147483647L);

    ContractViolation e = refusal(DType.INT32, "[2147483648]");
    assertThat(e.expected()).isEqualTo("an int32 integer from -2147483648 to 2147483647");
    assertThat(e.actual()).isEqualTo("2147483648, outside the int32 range");
    assertThat(refusal(DType.INT32, "[-2147483649]").actual()).isEqualTo("-2147483649, outside the int32 range");
  }

  @Test
  void stringsAndBooleansAreRefusedForAnIntegerInput() {
    assertThat(refusal(DType.INT64, "[\"3\"]").actual()).isEqualTo("the string \"3\"");
    assertThat(refusal(DType.INT64, "[false]").actual()).isEqualTo("the boolean false");
  }

  @Test
  void boolTakesOnlyTrueAndFalse() throws Exception {
    Tensor tensor = read(DType.BOOL, "[[true, false], [false, true]]");

    assertThat(tensor).isInstanceOf(BooleanTensor.class);
    assertThat(tensor.shape()).containsExactly(2, 2);
    assertThat(((BooleanTensor) tensor).values()).containsExactly(true, false, false, true);

    ContractViolation number = refusal(DType.BOOL, "[true, 1]");
    assertThat(number.pointer()).isEqualTo("/v/1");
    assertThat(number.expected()).isEqualTo("true or false");
    assertThat(number.actual()).isEqualTo("the value 1");
    assertThat(refusal(DType.BOOL, "[0]").actual()).isEqualTo("the value 0");
    assertThat(refusal(DType.BOOL, "[\"true\"]").actual()).isEqualTo("the string \"true\"");
    assertThat(refusal(DType.BOOL, "[null]").actual()).isEqualTo("null");
  }

  @Test
  void nonFiniteTokensAreRefusedUnlessTheInputAllowsThem() {
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16}) {
      for (String token : new String[] {"NaN", "Infinity", "-Infinity"}) {
        ContractViolation e = refusal(dtype, "[1, " + token + "]");

        assertThat(e.pointer()).isEqualTo("/v/1");
        assertThat(e.expected()).isEqualTo("a finite " + dtype + " number");
        assertThat(e.actual()).isEqualTo(token + " (the input does not allow non-finite values)");
      }
    }
  }

  @Test
  void nonFiniteTokensAreKeptWhereTheInputAllowsThem() throws Exception {
    assertThat(floats(read(DType.FLOAT32, true, "[NaN, Infinity, -Infinity, 1.5]")))
        .containsExactly(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.5f);
    assertThat(((DoubleTensor) read(DType.FLOAT64, true, "[NaN, -Infinity]")).values())
        .containsExactly(Double.NaN, Double.NEGATIVE_INFINITY);
    assertThat(refusal(DType.FLOAT32, true, "[\"x\"]").expected()).isEqualTo("a float32 number");
  }

  @Test
  void float32RefusesValuesBeyondItsRange() throws Exception {
    assertThat(floats(read(DType.FLOAT32, "[3.4028234663852886e38, -3.4028234663852886e38]")))
        .containsExactly(Float.MAX_VALUE, -Float.MAX_VALUE);

    assertThat(floats(read(DType.FLOAT32, "[3.4028235e38, -3.4028235e38, 3.4028235677973362e38]")))
        .as("Java's and numpy's spelling of float32's largest value, and a value just below half-way to the next")
        .containsExactly(Float.MAX_VALUE, -Float.MAX_VALUE, Float.MAX_VALUE);
    assertThat(refusal(DType.FLOAT32, "[3.4028236e38]").actual())
        .isEqualTo("3.4028236e38, outside the float32 range");
    ContractViolation e = refusal(DType.FLOAT32, "[1e39]");
    assertThat(e.actual()).isEqualTo("1e39, outside the float32 range");
    assertThat(e.getMessage()).isEqualTo("'v' at /v/0: expected a finite float32 number, but got 1e39, outside the "
        + "float32 range");
  }

  @Test
  void float16RefusesValuesBeyondItsRange() throws Exception {
    Tensor tensor = read(DType.FLOAT16, "[65504, -65504, 0.5]");
    assertThat(tensor).isInstanceOf(FloatTensor.class);
    assertThat(floats(tensor)).containsExactly(65504f, -65504f, 0.5f);

    ContractViolation e = refusal(DType.FLOAT16, "[70000]");
    assertThat(e.expected()).isEqualTo("a finite float16 number");
    assertThat(e.actual()).isEqualTo("70000, outside the float16 range");
    assertThat(refusal(DType.FLOAT16, "[-65505]").actual()).isEqualTo("-65505, outside the float16 range");
  }

  @Test
  void bfloat16TakesFloat32MagnitudesUpToItsOwnMax() throws Exception {
    assertThat(floats(read(DType.BFLOAT16, "[3e38, -1e-3]"))).containsExactly(3e38f, -1e-3f);

    assertThat(refusal(DType.BFLOAT16, "[3.4e38]").actual()).isEqualTo("3.4e38, outside the bfloat16 range");
  }

  @Test
  void float64KeepsDoublePrecisionAndRefusesOverflow() throws Exception {
    Tensor tensor = read(DType.FLOAT64, "[0.1, 1e300, 9007199254740993]");

    assertThat(tensor).isInstanceOf(DoubleTensor.class);
    assertThat(((DoubleTensor) tensor).values()).containsExactly(0.1, 1e300, 9007199254740992.0);
    assertThat(refusal(DType.FLOAT64, "[1e400]").actual()).isEqualTo("1e400, outside the float64 range");
  }

  @Test
  void untypedTensorsAreInferredFromTheirFirstValue() throws Exception {
    Map<String, Tensor> tensors = new JsonTensorReader().read(body(
        "{\"n\": [1, 2.5, NaN], \"s\": [[\"bear\", \"bull\"]], \"b\": [true, false]}"));

    assertThat(((DoubleTensor) tensors.get("n")).values()).containsExactly(1.0, 2.5, Double.NaN);
    StringTensor labels = (StringTensor) tensors.get("s");
    assertThat(labels.shape()).containsExactly(1, 2);
    assertThat(labels.values()).containsExactly("bear", "bull");
    assertThat(((BooleanTensor) tensors.get("b")).values()).containsExactly(true, false);
  }

  @Test
  void untypedTensorThatMixesTypesIsAFormatErrorNotAValueTypeError() {
    TensorFormatException e = catchThrowableOfType(TensorFormatException.class,
        () -> new JsonTensorReader().read(body("{\"s\": [\"bear\", 1]}")));

    assertThat(e).isNotInstanceOf(ContractViolation.class);
    assertThat(e.pointer()).isEqualTo("/s/1");
    assertThat(e.getMessage()).isEqualTo("'s' mixes value types: the value 1");
  }

  @Test
  void contractReaderDecodesEachInputByItsDTypeAndRefusesOtherNamesOnSight() throws Exception {
    ModelContract contract = new ContractReader().read("c.yaml", body("""
        version: 1
        model: {file: model.pt}
        dims: {T: {}}
        inputs:
          - {name: tokens, dtype: int64, shape: [T]}
          - {name: mask, dtype: bool, shape: [T]}
          - {name: weights, dtype: float16, shape: [T], allowNonFinite: true}
        forward:
          arguments: [{input: tokens}, {input: mask}, {input: weights}]
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [T]}
        """));

    Map<String, Tensor> request = JsonTensorReader.forInputs(contract).read(body(
        "{\"tokens\": [1, 2], \"mask\": [true, false], \"weights\": [0.5, NaN]}"));

    assertThat(longs(request.get("tokens"))).containsExactly(1L, 2L);
    assertThat(((BooleanTensor) request.get("mask")).values()).containsExactly(true, false);
    assertThat(floats(request.get("weights"))).containsExactly(0.5f, Float.NaN);
    ContractViolation extra = catchThrowableOfType(ContractViolation.class, () -> JsonTensorReader.forInputs(contract)
        .read(body("{\"tokens\": [1, 2], \"extra\": [3], \"mask\": [1]}")));
    assertThat(extra.input()).isEqualTo("extra");
    assertThat(extra.pointer()).isEqualTo("/extra");
  }

  @Test
  void int64TellsAnIntegerOutOfRangeFromAFraction() throws Exception {
    assertThat(refusal(DType.INT64, "[1e30]").actual()).isEqualTo("1e30, outside the int64 range");
    assertThat(refusal(DType.INT64, "[2.50]").actual()).isEqualTo("2.50, not an integer");
    assertThat(((LongTensor) read(DType.INT64, "[4.000, 1e3]")).values()).containsExactly(4L, 1000L);
  }

}
