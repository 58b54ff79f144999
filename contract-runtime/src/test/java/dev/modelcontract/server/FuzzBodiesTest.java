package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.BodyMutations;
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
      byte[] body = BodyMutations.mutated(golden.get(random.nextInt(golden.size())).requestBody(), random);
      if (body.length > LIMIT) {
        body = Arrays.copyOf(body, (int) LIMIT);
      }
      int coding = random.nextInt(20);
      if (coding == 0) {
        bodies.add(new Fuzzed(i, gzip(body), "gzip"));
      } else if (coding == 1) {
        bodies.add(new Fuzzed(i, BodyMutations.flip(gzip(body), random), "gzip")); // a corrupt or truncated gzip stream
      } else if (coding == 2) {
        bodies.add(new Fuzzed(i, random.nextBoolean() ? deflate(body) : BodyMutations.flip(deflate(body), random), "deflate"));
      } else {
        bodies.add(new Fuzzed(i, body, null));
      }
    }
    return bodies;
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
