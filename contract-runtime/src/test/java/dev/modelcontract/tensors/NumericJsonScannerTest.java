package dev.modelcontract.tensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.DType;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ExampleModel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast path reads what Jackson reads, to the bit, and gives up on everything else: checked on the golden
 * bodies and on thousands of mutated ones, against the token-stream reader.
 */
class NumericJsonScannerTest {

  /** The example's inputs, the second read as float64 so that both stores are exercised. */
  private static final Map<String, ElementType> TYPES = Map.of(
      "input_1", new ElementType(DType.FLOAT32, false),
      "input_2", new ElementType(DType.FLOAT64, false));
  private static final JsonTensorReader READER = new JsonTensorReader(TYPES);

  @Test
  void goldenBodiesTakeTheFastPathAndReadAsJacksonReadsThem() throws Exception {
    for (GoldenCase golden : ExampleModel.LSTM_TWO_INPUTS.goldenCases()) {
      byte[] body = golden.requestBody();
      RequestBody fast = NumericJsonScanner.scan(body, 0, body.length, TYPES);

      assertThat(fast).as(golden.name()).isNotNull();
      assertSame(fast, READER.readRequest(new ByteArrayInputStream(body)), golden.name());
    }
  }

  @Test
  void mutatedBodiesReadTheSameOnBothPathsOrFailWithTheSameProblem() {
    Random random = new Random(0xFA57L);
    List<GoldenCase> golden = ExampleModel.LSTM_TWO_INPUTS.goldenCases();
    int fast = 0;
    int fallBack = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] body = JsonMutations.mutated(golden.get(random.nextInt(golden.size())).requestBody(), random);
      String what = "body #" + i + ": " + abbreviate(body);
      Object viaBytes = outcome(() -> READER.readRequest(body, 0, body.length));
      Object viaStream = outcome(() -> READER.readRequest(new ByteArrayInputStream(body)));
      if (viaBytes instanceof RequestBody bytes && viaStream instanceof RequestBody stream) {
        assertSame(bytes, stream, what);
      } else if (!plainUtf8(body)) {
        // Never the fast path's: the parser's byte-array and stream readers of UTF-16, UTF-32 and a byte order mark
        // place a fault at different bytes, or find it as a bad character rather than a bad token; both refuse.
        assertThat(List.of(viaBytes, viaStream)).as(what).allMatch(String.class::isInstance);
      } else {
        assertThat(viaBytes).as(what).isEqualTo(viaStream);
      }
      if (NumericJsonScanner.scan(body, 0, body.length, TYPES) != null) {
        fast++;
      } else {
        fallBack++;
      }
    }
    // Both paths must have been exercised for the comparison to mean anything.
    assertThat(fast).isGreaterThan(1_000);
    assertThat(fallBack).isGreaterThan(10_000);
  }

  /** Digits are read eight at a time where they can be: every run length, leading zeros, ends inside a word. */
  @Test
  void readsDigitRunsOfEveryLengthAsJacksonDoes() throws Exception {
    Random random = new Random(8);
    List<String> numbers = new ArrayList<>();
    for (int integerDigits = 0; integerDigits <= 24; integerDigits++) {
      for (int fractionDigits = 0; fractionDigits <= 24; fractionDigits++) {
        for (int zeros : new int[] {0, 3, 9}) {
          String integer = integerDigits == 0 ? "0" : (1 + random.nextInt(9)) + digits(random, integerDigits - 1);
          String fraction = fractionDigits == 0 ? "" : "." + "0".repeat(zeros) + digits(random, fractionDigits);
          String exponent = random.nextInt(4) == 0 ? "e-" + random.nextInt(12) : "";
          numbers.add((random.nextBoolean() ? "-" : "") + integer + fraction + exponent);
        }
      }
    }
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i + 4 <= numbers.size(); i += 4) {
      rows.append(i == 0 ? "" : ",").append('[').append(String.join(",", numbers.subList(i, i + 4))).append(']');
    }
    byte[] body = ("{\"input_1\": [" + rows + "], \"input_2\": [" + rows + "]}").getBytes(StandardCharsets.UTF_8);

    RequestBody fast = NumericJsonScanner.scan(body, 0, body.length, TYPES);

    assertThat(fast).isNotNull();
    assertSame(fast, READER.readRequest(new ByteArrayInputStream(body)), "digit runs");
  }

  private static String digits(Random random, int count) {
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < count; i++) {
      digits.append((char) ('0' + random.nextInt(10)));
    }
    return digits.toString();
  }

  @Test
  void givesUpOnWhatOnlyJacksonReads() {
    String row = "[[1, 2, 3, 4]]";
    for (String body : List.of(
        "{\"input_1\": [[NaN, 2, 3, 4]]}",
        "{\"input_1\": [[1e400, 2, 3, 4]]}",
        "{\"input_1\": [[3.4028236e38, 2, 3, 4]]}",
        "{\"input_1\": [[01, 2, 3, 4]]}",
        "{\"input_1\": [[1, 2, 3, 4], [1, 2]]}",
        "{\"input_1\": [[1, 2, 3, 4], [[1]]]}",
        "{\"input_1\": []}",
        "{\"input_1\": 1.5}",
        "{\"input_1\": " + row + ", \"input_1\": " + row + "}",
        "{\"input_\\u0031\": " + row + "}",
        "{\"unknown\": " + row + "}",
        "{\"input_1\": " + row + "} {}",
        "{\"input_1\": " + row + ",}",
        "\uFEFF{\"input_1\": " + row + "}",
        "{\"inputs\": [{\"name\": \"input_1\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}",
        "{\"instances\": [{\"input_1\": [1, 2, 3, 4]}]}",
        "{\"input_1\": [[" + "9".repeat(2000) + ", 2, 3, 4]]}",
        "{}")) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertThat(NumericJsonScanner.scan(bytes, 0, bytes.length, TYPES)).as(body).isNull();
    }
  }

  @Test
  void readsTheInputsFormAndNegativeZeroAsJacksonDoes() throws Exception {
    byte[] body = "{\"inputs\": {\"input_1\": [[-0, -0.0, 1E2, -1.5e-3]]}}".getBytes(StandardCharsets.UTF_8);

    RequestBody fast = NumericJsonScanner.scan(body, 0, body.length, TYPES);

    assertThat(fast).isNotNull();
    assertThat(fast.envelope().form()).isEqualTo(JsonForm.INPUTS);
    assertThat(((FloatTensor) fast.tensors().get("input_1")).values()).containsExactly(0.0f, -0.0f, 100f, -1.5e-3f);
    assertSame(fast, READER.readRequest(new ByteArrayInputStream(body)), "inputs form");
  }

  private interface Read {
    RequestBody read() throws Exception;
  }

  /** The request read, or the failure's class and message. */
  private static Object outcome(Read read) {
    try {
      return read.read();
    } catch (Exception e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  /**
   * Whether the parser reads the body as UTF-8 without a byte order mark: no mark, and no zero byte among the first
   * four (which it takes for UTF-16 or UTF-32).
   */
  private static boolean plainUtf8(byte[] body) {
    if (body.length >= 2 && ((body[0] & 0xFF) >= 0xFE || (body[0] & 0xFF) == 0xEF)) {
      return false;
    }
    for (int i = 0; i < Math.min(4, body.length); i++) {
      if (body[i] == 0) {
        return false;
      }
    }
    return true;
  }

  private static void assertSame(RequestBody actual, RequestBody expected, String what) {
    assertThat(actual.envelope().form()).as(what).isEqualTo(expected.envelope().form());
    assertThat(actual.tensors().keySet()).as(what).containsExactlyElementsOf(expected.tensors().keySet());
    for (Map.Entry<String, Tensor> entry : expected.tensors().entrySet()) {
      Tensor tensor = actual.tensors().get(entry.getKey());
      assertThat(tensor.shape()).as(what).isEqualTo(entry.getValue().shape());
      assertThat(tensor.array().getClass()).as(what).isEqualTo(entry.getValue().array().getClass());
      // Objects.deepEquals compares float and double arrays by their bits: -0.0 differs from 0.0.
      assertThat(Objects.deepEquals(tensor.array(), entry.getValue().array()))
          .as("%s: values of %s, bit for bit", what, entry.getKey()).isTrue();
    }
  }

  private static String abbreviate(byte[] body) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
