package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.GoldenReplay;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP layer seen from a raw socket: every malformed, oversized, stalled or unusual request gets the status
 * the protocol prescribes as an RFC 9457 problem, and the server keeps serving afterwards.
 */
class HttpProtocolTest {

  private static final long LIMIT = 1024 * 1024;

  private static SageMakerServer server;

  @BeforeAll
  static void startAndLoad() throws Exception {
    server = SageMakerServer.start(config());
    server.loadModel();
  }

  private static ServerConfig config() {
    return new ServerConfig(0, ExampleModel.LSTM_TWO_INPUTS.modelDir(), LIMIT, 2,
        ExampleModel.LSTM_TWO_INPUTS.goldenDir(), GoldenReplay.DEFAULT_TOLERANCE);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static RawHttp connect() throws IOException {
    return RawHttp.connect(server.port());
  }

  private static byte[] golden(String name) {
    return ExampleModel.LSTM_TWO_INPUTS.golden(name).requestBody();
  }

  /** The response is the problem of {@code status} whose type is {@code type}; returns the problem. */
  private static JsonNode assertProblem(RawHttp.Response response, int status, String type) {
    assertThat(response.status()).as("%s", response).isEqualTo(status);
    assertThat(response.header("Content-Type")).as("%s", response).isEqualTo("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("type").asString()).endsWith("/" + type);
    return problem;
  }

  /** A refusal must cost the client one connection at most, never the server: a new connection is served. */
  private static void assertServerStillServes(SageMakerServer served) throws IOException {
    try (RawHttp http = RawHttp.connect(served.port())) {
      RawHttp.Response ping = http.send(RawHttp.get("/ping")).read();
      assertThat(ping.status()).as("%s", ping).isEqualTo(200);
      assertThat(ping.text()).isEqualTo("{\"status\":\"ready\"}");
    }
  }

  private static void assertServerStillServes() throws IOException {
    assertServerStillServes(server);
  }

  private static Map<String, Tensor> tensors(byte[] json) throws Exception {
    return new JsonTensorReader().read(new ByteArrayInputStream(json));
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(plain);
    }
    return compressed.toByteArray();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void nonNumericContentLengthIs400MalformedRequest() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.head("POST /invocations HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
          "Content-Length: abc") + "{}");

      JsonNode problem = assertProblem(http.read(), 400, "malformed-request");

      assertThat(problem.get("detail").asString()).startsWith("the request is not valid HTTP/1.1");
    }
    assertServerStillServes();
  }

  @Test
  void contentLengthBeyondALongIs400MalformedRequest() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.head("POST /invocations HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
          "Content-Length: 99999999999999999999") + "{}");

      assertProblem(http.read(), 400, "malformed-request");
    }
    assertServerStillServes();
  }

  @Test
  void requestLineOfHalfAMegabyteIs414() throws Exception {
    String url = "/invocations?q=" + "a".repeat(500 * 1024);
    try (RawHttp http = connect()) {
      // The server answers after 8 KiB of the line and closes; the rest of the write may meet a reset.
      http.sendToleratingClose(ascii(RawHttp.head("GET " + url + " HTTP/1.1", "Host: 127.0.0.1")));

      JsonNode problem = assertProblem(http.read(), 414, "uri-too-long");

      assertThat(problem.get("detail").asString()).contains(Integer.toString(HttpPipeline.MAX_INITIAL_LINE));
    }
    assertServerStillServes();
  }

  @Test
  void twoHundredHeadersOfTwoHundredBytesAre431() throws Exception {
    List<String> headers = new ArrayList<>(List.of("Host: 127.0.0.1"));
    for (int i = 0; i < 200; i++) {
      String name = String.format("X-Filler-%03d: ", i);
      headers.add(name + "v".repeat(200 - name.length()));
    }
    assertThat(String.join("\r\n", headers).length()).isGreaterThan(HttpPipeline.MAX_HEADER_BYTES);
    try (RawHttp http = connect()) {
      http.sendToleratingClose(ascii(RawHttp.head("GET /ping HTTP/1.1", headers.toArray(String[]::new))));

      JsonNode problem = assertProblem(http.read(), 431, "headers-too-large");

      assertThat(problem.get("detail").asString()).contains(Integer.toString(HttpPipeline.MAX_HEADER_BYTES));
    }
    assertServerStillServes();
  }

  @Test
  void httpVersionNineIs505() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.head("POST /invocations HTTP/9.9", "Host: 127.0.0.1", "Content-Type: application/json",
          "Content-Length: 2") + "{}");

      RawHttp.Response response = http.read();

      JsonNode problem = assertProblem(response, 505, "http-version-not-supported");
      assertThat(response.statusLine()).startsWith("HTTP/1.1 505 ");
      assertThat(problem.get("detail").asString()).contains("HTTP/9.9");
    }
    assertServerStillServes();
  }

  @Test
  void expectContinueWithADeclaredBodyOverTheLimitIs413WithoutContinue() throws Exception {
    try (RawHttp http = connect()) {
      // The client waits for 100 Continue before sending 7 MB; the server must refuse instead of inviting it.
      http.send(RawHttp.head("POST /invocations HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
          "Content-Length: 7000000", "Expect: 100-continue"));

      RawHttp.Response response = http.read();

      JsonNode problem = assertProblem(response, 413, "payload-too-large");
      assertThat(problem.get("limit").asString()).isEqualTo(Long.toString(LIMIT));
      assertThat(problem.get("detail").asString()).contains("7000000 bytes");
      // The body was never sent, so the connection cannot be reused: the server says so and closes it.
      assertThat(response.header("Connection")).isEqualTo("close");
      assertThat(http.closedByServer()).isTrue();
    }
    assertServerStillServes();
  }

  @Test
  void expectContinueWithASmallBodyGets100ContinueThenTheAnswer() throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("unbatched");
    byte[] body = golden.requestBody();
    try (RawHttp http = connect()) {
      http.send(RawHttp.head("POST /invocations HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
          "Content-Length: " + body.length, "Expect: 100-continue"));

      RawHttp.Response interim = http.read();
      assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");

      RawHttp.Response response = http.send(body).read();
      assertThat(response.status()).as("%s", response).isEqualTo(200);
      assertThat(response.header("Content-Type")).isEqualTo("application/json");
      ExampleModel.assertMatchesGolden(tensors(response.body()), golden);
    }
    assertServerStillServes();
  }

  @Test
  void brotliBodyIs415NamingTheSupportedCodingsAndTheConnectionStaysUsable() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.invocation(golden("unbatched"), "Content-Encoding: br"));

      RawHttp.Response response = http.read();

      JsonNode problem = assertProblem(response, 415, "unsupported-content-encoding");
      assertThat(response.header("Accept-Encoding")).isEqualTo("gzip, deflate");
      assertThat(problem.get("supported").asString()).isEqualTo("gzip, deflate");
      // The body had a small declared length, so the server read and dropped it and kept the connection.
      assertThat(response.header("Connection")).isNull();
      assertThat(http.send(RawHttp.get("/ping")).read().status()).isEqualTo(200);
    }
    assertServerStillServes();
  }

  /** What the OpenAPI document lists for GET /ping: a refusal from the request's head is the same on every route. */
  @Test
  void pingWithABodyInAnUnknownCodingIs415AsOnInvocations() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.head("GET /ping HTTP/1.1", "Host: 127.0.0.1", "Content-Encoding: br", "Content-Length: 2")
          + "{}");

      RawHttp.Response response = http.read();

      assertProblem(response, 415, "unsupported-content-encoding");
      assertThat(response.header("Accept-Encoding")).isEqualTo("gzip, deflate");
    }
    assertServerStillServes();
  }

  @Test
  void gzipBodyGetsTheSameOutputsAsThePlainBody() throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");
    try (RawHttp http = connect()) {
      RawHttp.Response plain = http.send(RawHttp.invocation(golden.requestBody())).read();
      RawHttp.Response zipped = http.send(RawHttp.invocation(gzip(golden.requestBody()), "Content-Encoding: gzip"))
          .read();

      assertThat(plain.status()).as("%s", plain).isEqualTo(200);
      assertThat(zipped.status()).as("%s", zipped).isEqualTo(200);
      assertThat(zipped.json()).isEqualTo(plain.json());
      ExampleModel.assertMatchesGolden(tensors(zipped.body()), golden);
    }
    assertServerStillServes();
  }

  @Test
  void plainJsonLabelledGzipIs400MalformedBody() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.invocation(golden("unbatched"), "Content-Encoding: gzip"));

      JsonNode problem = assertProblem(http.read(), 400, "malformed-body");

      assertThat(problem.get("detail").asString()).startsWith("the body is not valid gzip");
    }
    assertServerStillServes();
  }

  @Test
  void gzipBombThatInflatesPastTheLimitIs413() throws Exception {
    // 20 MB of JSON whitespace between two valid inputs: tiny on the wire, twenty limits' worth decoded.
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(ascii("{\"input_1\": [[1.0, 2.0, 3.0, 4.0]],"));
      byte[] spaces = new byte[1024 * 1024];
      Arrays.fill(spaces, (byte) ' ');
      for (int i = 0; i < 20; i++) {
        gzip.write(spaces);
      }
      gzip.write(ascii("\"input_2\": [[1.0, 2.0]]}"));
    }
    byte[] bomb = compressed.toByteArray();
    assertThat(bomb.length).isLessThan((int) LIMIT / 10);
    try (RawHttp http = connect()) {
      http.send(RawHttp.invocation(bomb, "Content-Encoding: gzip"));

      JsonNode problem = assertProblem(http.read(), 413, "payload-too-large");

      assertThat(problem.get("detail").asString()).contains("decoded");
      assertThat(problem.get("limit").asString()).isEqualTo(Long.toString(LIMIT));
    }
    assertServerStillServes();
  }

  @Test
  void chunkedBodyGrowingPastTheLimitIs413AndTheRestIsReadAndDropped() throws Exception {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write(ascii(RawHttp.head("POST /invocations HTTP/1.1", "Host: 127.0.0.1",
        "Content-Type: application/json", "Transfer-Encoding: chunked")));
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) ' ');
    for (long sent = 0; sent <= 2 * LIMIT; sent += chunk.length) {
      request.write(ascii(Integer.toHexString(chunk.length) + "\r\n"));
      request.write(chunk);
      request.write(ascii("\r\n"));
    }
    request.write(ascii("0\r\n\r\n"));
    try (RawHttp http = connect()) {
      // The answer comes once the limit is passed, while the body still goes out on another thread.
      Thread writer = http.sendInBackground(request.toByteArray());

      RawHttp.Response response = http.read();

      JsonNode problem = assertProblem(response, 413, "payload-too-large");
      assertThat(problem.get("limit").asString()).isEqualTo(Long.toString(LIMIT));
      assertThat(response.header("Connection")).as("the rest of the body is read and dropped, as nginx's lingering"
          + " close does, so the caller reads this answer instead of a reset").isNotEqualTo("close");
      writer.join(10_000);
      assertThat(http.writeFailure()).as("the whole body went out").isNull();
      assertThat(http.send(RawHttp.get("/ping")).read().status()).as("the connection serves on").isEqualTo(200);
    }
    assertServerStillServes();
  }

  @Test
  void declaredBodyUpToFourLimitsIsAnswered413ThenDroppedAndTheConnectionServesTheNextRequest() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.head("POST /invocations HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
          "Content-Length: " + (2 * LIMIT)));
      http.send(new byte[(int) (2 * LIMIT)]);

      RawHttp.Response refused = http.read();

      JsonNode problem = assertProblem(refused, 413, "payload-too-large");
      assertThat(problem.get("detail").asString()).contains((2 * LIMIT) + " bytes");
      assertThat(refused.header("Connection")).isNull();
      // The server read the 2 MB and dropped them: the next request on the same connection is served.
      RawHttp.Response ping = http.send(RawHttp.get("/ping")).read();
      assertThat(ping.status()).as("%s", ping).isEqualTo(200);
    }
    assertServerStillServes();
  }

  @Test
  void declaredBodyOverFourLimitsIsAnswered413AndTheConnectionCloses() throws Exception {
    try (RawHttp http = connect()) {
      // Reading and dropping 5 limits' worth is not worth a connection: the server answers and closes.
      http.send(RawHttp.head("POST /invocations HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
          "Content-Length: " + (5 * LIMIT)));

      RawHttp.Response refused = http.read();

      assertProblem(refused, 413, "payload-too-large");
      assertThat(refused.header("Connection")).isEqualTo("close");
      assertThat(http.closedByServer()).isTrue();
    }
    assertServerStillServes();
  }

  @Test
  void requestStalledMidBodyIsAnswered408AfterTheReadTimeoutAndTheConnectionCloses() throws Exception {
    try (SageMakerServer impatient = SageMakerServer.start(config()
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5)))) {
      impatient.loadModel();
      try (RawHttp http = RawHttp.connect(impatient.port(), 10_000)) {
        long started = System.nanoTime();
        http.send(RawHttp.head("POST /invocations HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
            "Content-Length: 100") + "{\"input_1\": [[1.0, ");

        RawHttp.Response response = http.read();
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        JsonNode problem = assertProblem(response, 408, "request-timeout");
        assertThat(problem.get("detail").asString()).contains("within 1 s");
        assertThat(millis).as("milliseconds to the 408").isBetween(900L, 3000L);
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(http.closedByServer()).isTrue();
      }
      assertServerStillServes(impatient);
    }
  }

  @Test
  void headersTrickledByteByByteAreAnswered408OnceTheReadTimeoutHasPassedSinceTheFirstByte() throws Exception {
    try (SageMakerServer impatient = SageMakerServer.start(config()
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5)))) {
      impatient.loadModel();
      try (RawHttp http = RawHttp.connect(impatient.port(), 10_000)) {
        long started = System.nanoTime();
        String head = RawHttp.head("POST /invocations HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
            "Content-Length: 100");
        // a byte every 200 ms never leaves the connection idle for the timeout, yet never finishes the head
        for (int i = 0; i < 15 && !http.hasBytes(); i++) {
          http.send(head.substring(i, i + 1));
          Thread.sleep(200);
        }

        RawHttp.Response response = http.read();
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertProblem(response, 408, "request-timeout");
        assertThat(millis).as("milliseconds to the 408").isBetween(900L, 3000L);
        assertThat(http.closedByServer()).isTrue();
      }
      assertServerStillServes(impatient);
    }
  }

  @Test
  void requestPipelinedBehindAnAnsweredOneAndTrickledStillTimesOut() throws Exception {
    try (SageMakerServer impatient = SageMakerServer.start(config()
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5)))) {
      impatient.loadModel();
      try (RawHttp http = RawHttp.connect(impatient.port(), 10_000)) {
        long started = System.nanoTime();
        // a complete request and the start of the next in one write; then a byte of its body every 300 ms
        http.send(RawHttp.get("/ping") + RawHttp.head("POST /invocations HTTP/1.1", "Host: 127.0.0.1",
            "Content-Type: application/json", "Content-Length: 1000") + "{");
        assertThat(http.read().status()).isEqualTo(200);
        for (int i = 0; i < 10 && !http.hasBytes(); i++) {
          Thread.sleep(300);
          http.send(" ");
        }

        RawHttp.Response response = http.read();
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertProblem(response, 408, "request-timeout");
        assertThat(millis).as("milliseconds to the 408").isBetween(900L, 3000L);
      }
    }
  }

  @Test
  void chunkedBodyBrokenByABadChunkSizeIs400AndTheConnectionCloses() throws Exception {
    String json = new String(golden("unbatched"), StandardCharsets.UTF_8);
    try (RawHttp http = RawHttp.connect(server.port())) {
      http.send(RawHttp.head("POST /invocations HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
          "Transfer-Encoding: chunked") + Integer.toHexString(json.length()) + "\r\n" + json + "\r\nzz\r\n");

      RawHttp.Response response = http.read();

      assertProblem(response, 400, "malformed-request");
      assertThat(http.closedByServer()).isTrue();
    }
    assertServerStillServes();
  }

  /**
   * HTTP/1.1 lets a client shut its sending side once its last request is out (RFC 9112, 9.6): what it sent is still
   * answered, in full, before the server closes. One request: the connection reads on while it is served, so the end
   * of input arrives then; two, pipelined: the second waits with reads off, and the end is read after the answers.
   */
  @ParameterizedTest(name = "{0} request(s)")
  @ValueSource(ints = {1, 2})
  void aClientThatHalfClosesAfterItsRequestsGetsEveryAnswerAndThenTheClose(int requests) throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    for (int i = 0; i < requests; i++) {
      sent.write(RawHttp.invocation(golden.requestBody()));
    }
    try (RawHttp http = connect()) {
      http.send(sent.toByteArray());
      http.sendNoMore();

      for (int i = 0; i < requests; i++) {
        RawHttp.Response answer = http.read();
        assertThat(answer.status()).as("answer %d: %s", i + 1, answer).isEqualTo(200);
        ExampleModel.assertMatchesGolden(tensors(answer.body()), golden);
      }
      assertThat(http.closedByServer()).isTrue();
    }
    assertServerStillServes();
  }

  @Test
  void anIdleConnectionTheClientHalfClosesIsClosed() throws Exception {
    try (RawHttp http = connect()) {
      http.send(ascii(RawHttp.get("/ping")));
      assertThat(http.read().status()).isEqualTo(200);

      http.sendNoMore();

      assertThat(http.closedByServer()).as("closed once the client said it sends no more").isTrue();
    }
    assertServerStillServes();
  }

  @Test
  void pipelinedPingAndInvocationAreAnsweredInOrder() throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("unbatched");
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(ascii(RawHttp.get("/ping")));
    both.write(RawHttp.invocation(golden.requestBody()));
    try (RawHttp http = connect()) {
      http.send(both.toByteArray());

      RawHttp.Response first = http.read();
      RawHttp.Response second = http.read();

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.text()).isEqualTo("{\"status\":\"ready\"}");
      assertThat(second.status()).as("%s", second).isEqualTo(200);
      assertThat(second.header("Content-Type")).isEqualTo("application/json");
      ExampleModel.assertMatchesGolden(tensors(second.body()), golden);
    }
    assertServerStillServes();
  }

  @Test
  void pipelinedInvocationAndPingAreAnsweredInOrder() throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(RawHttp.invocation(golden.requestBody()));
    both.write(ascii(RawHttp.get("/ping")));
    try (RawHttp http = connect()) {
      // The ping is ready long before the inference: it must still wait its turn.
      http.send(both.toByteArray());

      RawHttp.Response first = http.read();
      RawHttp.Response second = http.read();

      assertThat(first.status()).as("%s", first).isEqualTo(200);
      ExampleModel.assertMatchesGolden(tensors(first.body()), golden);
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.text()).isEqualTo("{\"status\":\"ready\"}");
    }
    assertServerStillServes();
  }

  @Test
  void pipelinedRequestRefusedFromItsHeadIsAnsweredAfterTheRequestBeforeIt() throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(RawHttp.invocation(golden.requestBody()));
    both.write(RawHttp.invocation(golden.requestBody(), "Content-Encoding: br"));
    try (RawHttp http = connect()) {
      // HTTP/1.1 answers pipelined requests in order (RFC 9112, 9.3.2): the client matches answers to requests by
      // position, so a refusal decided from the second head must not overtake the first request's answer.
      http.send(both.toByteArray());

      RawHttp.Response first = http.read();
      RawHttp.Response second = http.read();

      assertThat(first.status()).as("the answer to the first request: %s", first).isEqualTo(200);
      ExampleModel.assertMatchesGolden(tensors(first.body()), golden);
      assertProblem(second, 415, "unsupported-content-encoding");
    }
    assertServerStillServes();
  }

  @Test
  void largestFloat32SpelledAsNumpyPrintsItIsServed(@TempDir Path unguarded) throws Exception {
    // 3.4028235e38 is a little above Float.MAX_VALUE but rounds to it. In input_1's first feature (mean 101.5,
    // std 12.5) it stays finite after normalization: (3.4e38 - 101.5) / 12.5 = 2.7e37.
    byte[] body = ascii("{\"input_1\": [[3.4028235e38, 99.25, 102.75, 100.0]], \"input_2\": [[15000.0, 0.5]]}");
    try (RawHttp http = connect()) {
      // the example's skew guard reads it, 2.7e37 std from the training mean, and refuses it by name
      RawHttp.Response refused = http.send(RawHttp.invocation(body)).read();
      JsonNode problem = assertProblem(refused, 422, "input-skew");
      assertThat(problem.get("feature").asString()).isEqualTo("open");
      assertThat(problem.get("input").asString()).isEqualTo("input_1");
    }
    ServerConfig config = new ServerConfig(0, ExampleModel.LSTM_TWO_INPUTS.withoutSkewGuard(unguarded),
        1 << 20, 1, ExampleModel.LSTM_TWO_INPUTS.goldenDir(), GoldenReplay.DEFAULT_TOLERANCE);
    try (SageMakerServer observing = TestServers.ready(config);
        RawHttp http = RawHttp.connect(observing.port())) {
      RawHttp.Response response = http.send(RawHttp.invocation(body)).read();

      assertThat(response.status()).as("%s", response).isEqualTo(200);
      JsonNode outputs = response.json();
      assertThat(outputs.get("output_1").size()).isEqualTo(1);
      assertThat(outputs.get("output_1").get(0).isNumber()).as("%s", outputs).isTrue();
      assertThat(Double.isFinite(outputs.get("output_1").get(0).asDouble())).isTrue();
      assertThat(outputs.get("output_2").size()).isEqualTo(3);
      for (JsonNode logit : outputs.get("output_2")) {
        assertThat(logit.isNumber()).as("%s", outputs).isTrue();
        assertThat(Double.isFinite(logit.asDouble())).isTrue();
      }
    }
    assertServerStillServes();
  }

  @Test
  void metricsAreServedInPrometheusTextFormat() throws Exception {
    try (RawHttp http = connect()) {
      // One invocation first, so the labelled series and the batch histogram have samples.
      assertThat(http.send(RawHttp.invocation(golden("unbatched"))).read().status()).isEqualTo(200);

      RawHttp.Response response = http.send(RawHttp.get("/metrics")).read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("Content-Type")).startsWith("text/plain");
      assertThat(response.text())
          .contains("modelcontract_requests_total{")
          .contains("modelcontract_request_duration_seconds_bucket")
          .contains("modelcontract_batch_requests")
          .contains("modelcontract_queue_depth")
          .contains("modelcontract_requests_total{path=\"/invocations\",status=\"200\"}");
    }
    assertServerStillServes();
  }

  @Test
  void anHttp11RequestWithoutOneValidHostIs400AndTheConnectionStaysUsable() throws Exception {
    List<List<String>> heads = List.of(List.of(), List.of("Host: 127.0.0.1", "Host: example.com"),
        List.of("Host: exa mple"), List.of("Host: a/b"), List.of("Host: [::1"));
    for (List<String> headers : heads) {
      try (RawHttp http = connect()) {
        http.send(RawHttp.head("GET /ping HTTP/1.1", headers.toArray(String[]::new)));

        JsonNode problem = assertProblem(http.read(), 400, "malformed-request");

        assertThat(problem.get("detail").asString()).as("%s", headers).contains("Host");
      }
    }
    for (String host : List.of("Host: 127.0.0.1:8080", "Host: [::1]:80", "Host: model.internal", "Host:")) {
      try (RawHttp http = connect()) {
        assertThat(http.send(RawHttp.head("GET /ping HTTP/1.1", host)).read().status()).as(host).isEqualTo(200);
      }
    }
    try (RawHttp http = connect()) {
      assertThat(http.send(RawHttp.head("GET /ping HTTP/1.0")).read().status()).isEqualTo(200);
    }
    assertServerStillServes();
  }

  @Test
  void anAbsoluteFormTargetIsServedByItsPath() throws Exception {
    try (RawHttp http = connect()) {
      RawHttp.Response ping = http.send(RawHttp.head("GET http://model.internal:8080/ping HTTP/1.1",
          "Host: model.internal:8080")).read();

      assertThat(ping.status()).isEqualTo(200);
      assertThat(ping.text()).isEqualTo("{\"status\":\"ready\"}");
    }
    assertThat(Routes.pathOf("HTTP://h/invocations?x=1")).isEqualTo("/invocations");
    assertThat(Routes.pathOf("http://h")).isEqualTo("/");
    assertThat(Routes.pathOf("https://h?x")).isEqualTo("/");
  }

  @Test
  void asteriskTargetIs400AndConnectIs405() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.head("GET * HTTP/1.1", "Host: 127.0.0.1"));

      assertProblem(http.read(), 400, "malformed-request");
    }
    try (RawHttp http = connect()) {
      http.send(RawHttp.head("CONNECT 127.0.0.1:8080 HTTP/1.1", "Host: 127.0.0.1:8080"));

      RawHttp.Response response = http.read();
      assertProblem(response, 405, "method-not-allowed");
      assertThat(response.header("Allow")).isEqualTo("GET, HEAD, POST");
    }
    assertServerStillServes();
  }
}
