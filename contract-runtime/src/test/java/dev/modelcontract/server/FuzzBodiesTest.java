package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ExampleModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of mutated request bodies, derived deterministically from the golden requests: whatever a client
 * sends, the server answers it with a 2xx or a 4xx problem, never a 5xx, and never drops the connection
 * unanswered.
 */
class FuzzBodiesTest {

  private static final long LIMIT = 1024 * 1024;
  private static final int BODIES = 10_000;
  private static final long SEED = 0x5EED_F00DL;
  /** Keep-alive connections the bodies are spread over, each on its own thread. */
  private static final int CONNECTIONS = 4;

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
      "1.00000000000000000000000000001", "15000", "101.5");

  private static SageMakerServer server;

  @BeforeAll
  static void startAndLoad() throws Exception {
    server = TestServers.ready(TestServers.config(ExampleModel.LSTM_TWO_INPUTS, LIMIT, 2));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** One request to send: the body and its Content-Encoding (null for none). */
  private record Fuzzed(int number, byte[] body, String coding) {

    byte[] request() {
      return coding == null ? RawHttp.invocation(body) : RawHttp.invocation(body, "Content-Encoding: " + coding);
    }

    String describe() {
      String text = new String(body, StandardCharsets.ISO_8859_1);
      return "#" + number + (coding == null ? "" : " (" + coding + ")") + ": "
          + (text.length() > 300 ? text.substring(0, 300) + "... (" + text.length() + " bytes)" : text);
    }
  }

  /**
   * What one connection's share of the bodies got: counts by status, and the bodies that got 5xx, nothing, or a
   * refusal that is not a problem.
   */
  private record Outcome(Map<Integer, Integer> statuses, List<String> failures) {}

  @Test
  void noMutatedBodyGetsA5xxOrAnUnansweredConnection() throws Exception {
    List<Fuzzed> bodies = mutations(ExampleModel.LSTM_TWO_INPUTS.goldenCases(), new Random(SEED));
    assertThat(bodies).hasSize(BODIES);

    ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
    List<Future<Outcome>> outcomes = new ArrayList<>();
    try {
      for (int c = 0; c < CONNECTIONS; c++) {
        int connection = c;
        outcomes.add(clients.submit(() -> send(bodies.subList(connection * BODIES / CONNECTIONS,
            (connection + 1) * BODIES / CONNECTIONS))));
      }
      Map<Integer, Integer> statuses = new TreeMap<>();
      List<String> failures = new ArrayList<>();
      for (Future<Outcome> future : outcomes) {
        Outcome outcome = future.get();
        outcome.statuses().forEach((status, count) -> statuses.merge(status, count, Integer::sum));
        failures.addAll(outcome.failures());
      }
      System.out.println("fuzzed bodies by status (0: no answer): " + statuses);

      assertThat(failures).as("bodies answered 5xx, not at all, or without a problem").isEmpty();
      assertThat(statuses.keySet()).allSatisfy(status -> assertThat(status).isBetween(200, 499));
      assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(BODIES);
      // The mutations must reach past the JSON parser: some bodies are still served, some break the contract.
      assertThat(statuses).containsKeys(200, 400, 422);
    } finally {
      clients.shutdownNow();
    }
  }

  /** Sends the bodies in order on one keep-alive connection, opening a new one whenever the server closes it. */
  private static Outcome send(List<Fuzzed> bodies) throws IOException {
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    RawHttp http = RawHttp.connect(server.port(), 30_000);
    try {
      for (Fuzzed fuzzed : bodies) {
        int status;
        String detail;
        boolean reconnect;
        try {
          RawHttp.Response response = http.send(fuzzed.request()).read();
          status = response.status();
          detail = response.text();
          if (status >= 400 && !Problem.MEDIA_TYPE.equals(response.header("Content-Type"))) {
            failures.add(status + " without a problem+json body (" + response.header("Content-Type") + ") for "
                + fuzzed.describe());
          }
          reconnect = "close".equalsIgnoreCase(response.header("Connection"));
        } catch (IOException e) {
          status = 0;
          detail = e.toString();
          reconnect = true;
        }
        statuses.merge(status, 1, Integer::sum);
        if (status == 0 || status >= 500) {
          failures.add(status + " " + detail + " for " + fuzzed.describe());
        }
        if (reconnect) {
          http.close();
          http = RawHttp.connect(server.port(), 30_000);
        }
      }
    } finally {
      http.close();
    }
    return new Outcome(statuses, failures);
  }

  /** {@link #BODIES} mutated bodies, the same for the same random sequence. */
  private static List<Fuzzed> mutations(List<GoldenCase> golden, Random random) throws IOException {
    List<Fuzzed> bodies = new ArrayList<>(BODIES);
    for (int i = 0; i < BODIES; i++) {
      byte[] body = golden.get(random.nextInt(golden.size())).requestBody();
      int mutations = 1 + random.nextInt(3);
      // A quarter of the bodies keep their JSON valid and only change numbers: these reach the model.
      boolean numbersOnly = random.nextInt(4) == 0;
      for (int m = 0; m < mutations; m++) {
        body = numbersOnly ? replaceNumber(body, random, validNumber(random)) : mutate(body, random);
      }
      if (body.length > LIMIT) {
        body = Arrays.copyOf(body, (int) LIMIT);
      }
      int coding = random.nextInt(20);
      if (coding == 0) {
        bodies.add(new Fuzzed(i, gzip(body), "gzip"));
      } else if (coding == 1) {
        bodies.add(new Fuzzed(i, flip(gzip(body), random), "gzip")); // a corrupt or truncated gzip stream
      } else if (coding == 2) {
        bodies.add(new Fuzzed(i, random.nextBoolean() ? deflate(body) : flip(deflate(body), random), "deflate"));
      } else {
        bodies.add(new Fuzzed(i, body, null));
      }
    }
    return bodies;
  }

  private static byte[] mutate(byte[] body, Random random) {
    return switch (random.nextInt(9)) {
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
      default -> rename(body, random);
    };
  }

  /** One to four bytes flipped: a bit, or a byte replaced by any byte value (invalid UTF-8 included). */
  private static byte[] flip(byte[] body, Random random) {
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

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(plain);
    }
    return compressed.toByteArray();
  }

  private static byte[] deflate(byte[] plain) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed)) {
      deflate.write(plain);
    }
    return compressed.toByteArray();
  }
}
