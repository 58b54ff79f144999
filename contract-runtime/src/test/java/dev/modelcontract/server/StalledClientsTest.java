package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.JsonTensorReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow or stalled clients cost the server connections, never threads: with hundreds of requests stuck halfway in,
 * health checks and invocations on other connections are answered at once.
 */
class StalledClientsTest {

  private static final long LIMIT = 1024 * 1024;
  /** Requests whose head arrived but whose 1000-byte body never will. */
  private static final int STALLED_BODIES = 200;
  /** Connections that sent half a header line and stopped. */
  private static final int STALLED_HEADERS = 50;
  private static final int PINGS = 50;
  private static final long MAX_PING_MILLIS = 100;
  private static final Pattern IN_PROGRESS = Pattern.compile("(?m)^modelcontract_requests_in_progress (\\S+)$");

  private static SageMakerServer server;
  private final List<RawHttp> stalled = new ArrayList<>();

  @BeforeAll
  static void startAndLoad() throws Exception {
    // The default read timeout (60 s): the stalled requests stay stalled for the whole test.
    server = TestServers.ready(TestServers.config(ExampleModel.LSTM_TWO_INPUTS, LIMIT, 2));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void closeStalledConnections() throws IOException {
    for (RawHttp connection : stalled) {
      connection.close();
    }
    stalled.clear();
  }

  @Test
  void pingsAndInvocationsAreAnsweredPromptlyWhile250ClientsStall() throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("unbatched");
    // Warm the client side up first, so the timings below measure the server, not this test's first class loads.
    assertThat(ping()).isLessThan(Duration.ofSeconds(5));

    for (int i = 0; i < STALLED_BODIES; i++) {
      stalled.add(RawHttp.connect(server.port()).send(RawHttp.head("POST /invocations HTTP/1.1",
          "Host: 127.0.0.1", "Content-Type: application/json", "Content-Length: 1000")));
    }
    for (int i = 0; i < STALLED_HEADERS; i++) {
      stalled.add(RawHttp.connect(server.port()).send("POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"));
    }
    awaitRequestsInProgress(STALLED_BODIES);

    long slowest = 0;
    for (int i = 0; i < PINGS; i++) {
      slowest = Math.max(slowest, ping().toMillis());
    }
    System.out.println("slowest of " + PINGS + " pings beside " + stalled.size() + " stalled connections: " + slowest
        + " ms");
    assertThat(slowest).as("slowest of %d pings, in ms, beside %d stalled connections", PINGS, stalled.size())
        .isLessThan(MAX_PING_MILLIS);

    try (RawHttp http = RawHttp.connect(server.port())) {
      RawHttp.Response response = http.send(RawHttp.invocation(golden.requestBody())).read();
      assertThat(response.status()).as("%s", response).isEqualTo(200);
      ExampleModel.assertMatchesGolden(new JsonTensorReader().read(new ByteArrayInputStream(response.body())),
          golden);
    }
    // Nothing the stalled clients did was answered: they are all still waiting on their requests.
    for (RawHttp connection : stalled) {
      connection.setReadTimeout(1);
      assertThat(connection.closedByServer()).isFalse();
    }
  }

  /** One GET /ping on a fresh connection, from connect to the whole response read; asserts it is 200. */
  private static Duration ping() throws IOException {
    long started = System.nanoTime();
    try (RawHttp http = RawHttp.connect(server.port())) {
      RawHttp.Response response = http.send(RawHttp.get("/ping")).read();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(response.status()).as("%s", response).isEqualTo(200);
      return took;
    }
  }

  /**
   * Waits until the server has read the heads of at least {@code count} requests it has not answered, so the
   * pings below really run beside that many stalled requests rather than before the server saw them.
   */
  private static void awaitRequestsInProgress(int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    double inProgress = 0;
    while (System.nanoTime() < deadline) {
      try (RawHttp http = RawHttp.connect(server.port())) {
        Matcher gauge = IN_PROGRESS.matcher(http.send(RawHttp.get("/metrics")).read().text());
        assertThat(gauge.find()).as("modelcontract_requests_in_progress in /metrics").isTrue();
        inProgress = Double.parseDouble(gauge.group(1));
      }
      if (inProgress >= count) {
        return;
      }
      Thread.sleep(20);
    }
    assertThat(inProgress).as("requests in progress after 10 s").isGreaterThanOrEqualTo(count);
  }
}
