package dev.modelcontract.tensors;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * JSON request bodies mutated the way broken clients and hostile ones break them, deterministically from a seeded
 * {@link Random}: flipped bytes, truncation, deletions, repeated ranges, spliced tokens, numbers replaced by
 * extremes or by values of the wrong type, inputs renamed or given twice, members of the Open Inference Protocol
 * ({@code datatype}, {@code shape}, ...) given wrong values, long strings, and the text in another Unicode encoding.
 */
public final class JsonMutations {

  /** JSON fragments that break numbers, types, structure or limits when spliced into a body. */
  private static final List<String> TOKENS = List.of("null", "1e999", "-1e999", "1e-999", "-", "\"", "[", "]", "{",
      "}", ",", ":", "NaN", "-NaN", "Infinity", "-Infinity", "+1", "0x10", "01", ".5", "5.", "true", "false",
      "\"4\"", "\"\"", "{}", "[]", "[[]]", "[[[]]]", "3.4028235e38", "-3.4028235e38", "3.4028236e38", "1e39",
      "9223372036854775808", "-0", "1.0e+", "\\u0000", "\"\\ud800\"", "\"input_1\"", "\"input_2\"",
      "\"input_3\": [1]", "1".repeat(400), "9".repeat(2000), "0." + "3".repeat(5000), "[".repeat(10_000),
      "]".repeat(10_000), "{\"a\":".repeat(2000), "[1,".repeat(3000), " ".repeat(10_000));
  /** Values that are valid JSON of the wrong type or shape for a float32 input. */
  private static final List<String> WRONG_VALUES = List.of("null", "true", "\"input\"", "{}", "[]", "[[]]", "1.5",
      "[1, 2, 3, 4]", "[[[[1]]]]", "[[1, 2, 3, 4], [1, 2]]", "[[\"a\", \"b\", \"c\", \"d\"]]",
      "[[true, false, true, false]]", "[[null, null, null, null]]", "{\"x\": [1]}", "[[1, 2, 3, 4]]",
      "[[1e999, 1, 1, 1]]", "[[NaN, 1, 1, 1]]", "[" + "[1, 2, 3, 4],".repeat(600) + "[1, 2, 3, 4]]");

  /** Valid numbers, extremes included, so that mutated bodies also reach normalization and the model. */
  private static final List<String> NUMBERS = List.of("0", "-0.0", "1", "-1", "0.5", "1e-45", "-1e-45", "1e-300",
      "1e38", "-1e38", "3.4028235e38", "-3.4028235e38", "3.4028234663852886e38", "123456789012345678901234567890",
      "1.00000000000000000000000000001", "15000", "101.5", "49", "50", "1.0", "1e2", "9223372036854775807",
      "-9223372036854775808", "9007199254740993");

  /** Members whose value a mutation replaces: the inputs, and those of the envelopes around them. */
  private static final List<String> KEYS = List.of("\"input_1\"", "\"input_2\"", "\"features\"", "\"tokens\"",
      "\"mask\"", "\"prices\"", "\"volume\"",
      "\"datatype\"", "\"shape\"", "\"name\"", "\"data\"", "\"id\"", "\"inputs\"", "\"instances\"");
  /** Values of the wrong kind for those members: datatypes, shapes whose product overflows, negative sizes. */
  private static final List<String> MEMBER_VALUES = List.of("\"FP64\"", "\"FP16\"", "\"BF16\"", "\"INT64\"",
      "\"UINT8\"", "\"BOOL\"", "\"BYTES\"", "\"fp32\"", "\"\"", "[-1, 4]", "[0]", "[0, 4]", "[]", "[1, -20, 4]",
      "[9223372036854775807, 2]", "[4611686018427387904, 4, 4]", "[2147483648]", "[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
      "[1.5, 4]", "[\"1\", 4]", "null", "{}", "[{}]", "[[]]", "42", "\"input_1\"", "[\"a\", \"b\"]");
  /** Unicode encodings JSON may be sent in besides UTF-8, and UTF-8 with a byte order mark. */
  private static final List<Charset> ENCODINGS = List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
      StandardCharsets.UTF_16, Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE"), StandardCharsets.UTF_8);

  private JsonMutations() {}

  /**
   * One to three mutations of a valid body. A quarter of the results keep their JSON valid and only change numbers:
   * these reach the contract checks and the model.
   */
  public static byte[] mutated(byte[] body, Random random) {
    int mutations = 1 + random.nextInt(3);
    boolean numbersOnly = random.nextInt(4) == 0;
    for (int m = 0; m < mutations; m++) {
      body = numbersOnly ? replaceNumber(body, random, validNumber(random)) : mutate(body, random);
    }
    return body;
  }

  private static byte[] mutate(byte[] body, Random random) {
    return switch (random.nextInt(13)) {
      case 0 -> flip(body, random);
      case 1 -> Arrays.copyOf(body, random.nextInt(body.length + 1)); // truncation
      case 2 -> delete(body, random);
      case 3 -> duplicate(body, random);
      case 4, 5 -> insert(body, random.nextInt(body.length + 1), bytes(pick(TOKENS, random)));
      case 6 -> replaceNumber(body, random, switch (random.nextInt(3)) {
        case 0 -> pick(TOKENS, random);
        case 1 -> pick(WRONG_VALUES, random);
        default -> validNumber(random);
      });
      case 7 -> replaceInput(body, random);
      case 8 -> replaceMember(body, random);
      case 9 -> duplicateMember(body, random);
      case 10 -> replaceNumber(body, random, "\"" + "x".repeat(random.nextInt(4) == 0 ? 100_000 : 64) + "\"");
      case 11 -> reencoded(body, random);
      default -> rename(body, random);
    };
  }

  /** The text in UTF-16 or UTF-32 (either byte order, with or without a byte order mark), or UTF-8 after a mark. */
  private static byte[] reencoded(byte[] body, Random random) {
    Charset charset = pick(ENCODINGS, random);
    String text = new String(body, StandardCharsets.ISO_8859_1);
    return charset == StandardCharsets.UTF_8 ? concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, body)
        : text.getBytes(charset);
  }

  /** The value of a member the envelopes name ({@code datatype}, {@code shape}, an input...) made wrong. */
  private static byte[] replaceMember(byte[] body, Random random) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int key = text.indexOf(pick(KEYS, random));
    if (key < 0) {
      return replaceInput(body, random);
    }
    int start = text.indexOf(':', key) + 1;
    if (start == 0) {
      return body; // the key is an array's string value, no member
    }
    return bytes(text.substring(0, start) + " " + pick(random.nextBoolean() ? MEMBER_VALUES : WRONG_VALUES, random)
        + text.substring(valueEnd(text, start)));
  }

  /** A member given twice in its object: the same value again, or another one. */
  private static byte[] duplicateMember(byte[] body, Random random) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    String name = pick(KEYS, random);
    int key = text.indexOf(name);
    int start = key < 0 ? -1 : text.indexOf(':', key) + 1;
    if (start <= 0) {
      return body;
    }
    int end = valueEnd(text, start);
    String value = random.nextBoolean() ? text.substring(start, end) : " " + pick(WRONG_VALUES, random);
    return bytes(text.substring(0, end) + ", " + name + ":" + value + text.substring(end));
  }

  /** One to four bytes flipped: a bit, or a byte replaced by any byte value (invalid UTF-8 included). */
  public static byte[] flip(byte[] body, Random random) {
    if (body.length == 0) {
      return body;
    }
    byte[] flipped = body.clone();
    for (int n = 1 + random.nextInt(4); n > 0; n--) {
      int at = random.nextInt(flipped.length);
      flipped[at] = random.nextBoolean() ? (byte) (flipped[at] ^ (1 << random.nextInt(8)))
          : (byte) random.nextInt(256);
    }
    return flipped;
  }

  private static byte[] delete(byte[] body, Random random) {
    int from = random.nextInt(body.length + 1);
    int to = from + random.nextInt(Math.min(64, body.length - from) + 1);
    return concat(Arrays.copyOfRange(body, 0, from), Arrays.copyOfRange(body, to, body.length));
  }

  /** A range of the body copied somewhere else in it: repeated rows, repeated keys, broken nesting. */
  private static byte[] duplicate(byte[] body, Random random) {
    int from = random.nextInt(body.length + 1);
    int to = from + random.nextInt(Math.min(512, body.length - from) + 1);
    return insert(body, random.nextInt(body.length + 1), Arrays.copyOfRange(body, from, to));
  }

  private static String validNumber(Random random) {
    return random.nextBoolean() ? pick(NUMBERS, random) : Double.toString(random.nextGaussian() * 1e4);
  }

  /**
   * The first number starting at or after a random byte of the body replaced by {@code replacement} (at the end of
   * the body when none follows). Digits in names such as {@code input_1} are not numbers.
   */
  private static byte[] replaceNumber(byte[] body, Random random, String replacement) {
    int at = random.nextInt(body.length + 1);
    while (at < body.length && !(isNumberByte(body[at]) && (at == 0 || !isNumberByte(body[at - 1])
        && body[at - 1] != '_'))) {
      at++;
    }
    int end = at;
    while (end < body.length && isNumberByte(body[end])) {
      end++;
    }
    return concat(concat(Arrays.copyOfRange(body, 0, at), bytes(replacement)),
        Arrays.copyOfRange(body, end, body.length));
  }

  /** A whole input's value replaced by a value of the wrong type or shape. */
  private static byte[] replaceInput(byte[] body, Random random) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    String name = random.nextBoolean() ? "\"input_1\"" : "\"input_2\"";
    int key = text.indexOf(name);
    if (key < 0) {
      return insert(body, random.nextInt(body.length + 1), bytes(pick(WRONG_VALUES, random)));
    }
    int start = text.indexOf(':', key) + 1;
    int end = valueEnd(text, start);
    return bytes(text.substring(0, start) + " " + pick(WRONG_VALUES, random) + text.substring(end));
  }

  /** Where the JSON value starting at {@code start} ends: at the comma or brace that closes it, or the end. */
  private static int valueEnd(String text, int start) {
    int depth = 0;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        if (depth == 0) {
          return i;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    return text.length();
  }

  /** An input renamed, swapped with the other, duplicated or given an unknown neighbour. */
  private static byte[] rename(byte[] body, Random random) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    return bytes(switch (random.nextInt(5)) {
      case 0 -> text.replaceFirst("\"input_1\"", "\"input_9\"");
      case 1 -> text.replace("\"input_1\"", "\"tmp\"").replace("\"input_2\"", "\"input_1\"").replace("\"tmp\"",
          "\"input_2\"");
      case 2 -> text.replaceFirst("\"input_2\"", "\"input_1\"");
      case 3 -> text.replaceFirst("\\{", "{\"extra\": [1, 2], ");
      default -> text.replaceFirst("\"input_2\"", "\"\"");
    });
  }

  private static boolean isNumberByte(byte b) {
    return (b >= '0' && b <= '9') || b == '.' || b == '-' || b == 'e' || b == 'E' || b == '+';
  }

  private static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }

  private static byte[] insert(byte[] body, int at, byte[] inserted) {
    return concat(concat(Arrays.copyOfRange(body, 0, at), inserted), Arrays.copyOfRange(body, at, body.length));
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
