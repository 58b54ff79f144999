package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.StringTensor;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import dev.modelcontract.validation.GoldenReplay;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class SageMakerServerTest {

  private static final long LIMIT = 1024 * 1024;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private static SageMakerServer server;
  private static String base;
  private static SageMakerServer tokenServer;
  private static String tokenBase;

  @BeforeAll
  static void startAndLoad() throws Exception {
    server = SageMakerServer.start(new ServerConfig(0, ExampleModel.LSTM_TWO_INPUTS.modelDir(), LIMIT, 2,
        ExampleModel.LSTM_TWO_INPUTS.goldenDir(), GoldenReplay.DEFAULT_TOLERANCE));
    server.loadModel();
    base = "http://127.0.0.1:" + server.port();
    tokenServer = SageMakerServer.start(new ServerConfig(0, ExampleModel.TOKEN_CLASSIFIER.modelDir(), LIMIT, 1));
    tokenServer.loadModel();
    tokenBase = "http://127.0.0.1:" + tokenServer.port();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (tokenServer != null) {
      tokenServer.close();
    }
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
  }

  private static HttpRequest.Builder invocation(byte[] body) {
    return request("/invocations").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private static HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse(null);
  }

  private static Map<String, Tensor> decode(byte[] body) throws IOException {
    try {
      return new JsonTensorReader().read(new ByteArrayInputStream(body));
    } catch (TensorFormatException | ContractViolation e) {
      throw new AssertionError("the body is not named tensors: " + e.getMessage(), e);
    }
  }

  private static JsonNode problem(HttpResponse<byte[]> response, int status) {
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    assertThat(contentType(response)).isEqualTo("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    return problem;
  }

  private static HttpResponse<byte[]> goodRequest() throws IOException, InterruptedException {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("unbatched");
    HttpResponse<byte[]> response = send(invocation(golden.requestBody()).build());
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/json");
    ExampleModel.assertMatchesGolden(decode(response.body()), golden);
    return response;
  }

  @Test
  void inputsWrappedUnderInputsAreAnsweredUnderOutputs() throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");
    ObjectNode body = JSON.createObjectNode();
    body.set("inputs", JSON.readTree(golden.requestBody()));

    HttpResponse<byte[]> response = send(invocation(JSON.writeValueAsBytes(body)).build());

    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.propertyNames()).containsExactly("outputs");
    ExampleModel.assertMatchesGolden(decode(JSON.writeValueAsBytes(answer.get("outputs"))), golden);
  }

  @Test
  void tensorFlowServingInstancesAreAnsweredAsPredictionsOnePerInstance() throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");
    JsonNode request = JSON.readTree(golden.requestBody());
    ArrayNode instances = JSON.createArrayNode();
    for (int i = 0; i < request.get("input_1").size(); i++) {
      ObjectNode instance = instances.addObject();
      instance.set("input_1", request.get("input_1").get(i));
      instance.set("input_2", request.get("input_2").get(i));
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("instances", instances);

    HttpResponse<byte[]> response = send(invocation(JSON.writeValueAsBytes(body)).build());

    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    JsonNode predictions = JSON.readTree(response.body()).get("predictions");
    assertThat(predictions.size()).isEqualTo(instances.size());
    ObjectNode stacked = JSON.createObjectNode();
    for (String output : List.of("output_1", "output_2")) {
      ArrayNode rows = stacked.putArray(output);
      predictions.forEach(prediction -> rows.add(prediction.get(output)));
    }
    ExampleModel.assertMatchesGolden(decode(JSON.writeValueAsBytes(stacked)), golden);
  }

  @Test
  void jsonLinesAreAnsweredLineForLineInOrderEachInItsForm() throws Exception {
    GoldenCase unbatched = ExampleModel.LSTM_TWO_INPUTS.golden("unbatched");
    GoldenCase batched = ExampleModel.LSTM_TWO_INPUTS.golden("batched");
    ObjectNode wrapped = JSON.createObjectNode();
    wrapped.set("inputs", JSON.readTree(batched.requestBody()));
    String body = compact(unbatched.requestBody()) + "\n" + compact(batched.requestBody()) + "\n\n"
        + JSON.writeValueAsString(wrapped) + "\n";

    HttpResponse<byte[]> response = send(request("/invocations").header("Content-Type", "application/jsonlines")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());

    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/jsonlines");
    String[] lines = new String(response.body(), StandardCharsets.UTF_8).split("\n");
    assertThat(lines).as("one answer per non-blank line").hasSize(3);
    ExampleModel.assertMatchesGolden(decode(lines[0].getBytes(StandardCharsets.UTF_8)), unbatched);
    ExampleModel.assertMatchesGolden(decode(lines[1].getBytes(StandardCharsets.UTF_8)), batched);
    ExampleModel.assertMatchesGolden(decode(JSON.writeValueAsBytes(JSON.readTree(lines[2]).get("outputs"))),
        batched);
  }

  @Test
  void aJsonLinesBodyIsRefusedNamingTheLineThatBreaksTheContract() throws Exception {
    String good = compact(ExampleModel.LSTM_TWO_INPUTS.golden("unbatched").requestBody());
    String body = good + "\n" + good + "\n{\"input_1\": [[1, 2, 3]]}\n";

    HttpResponse<byte[]> response = send(request("/invocations").header("Content-Type", "application/jsonlines")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());

    JsonNode problem = problem(response, 422);
    assertThat(problem.get("detail").asString()).startsWith("line 3: ");
    assertThat(problem.get("input").asString()).isEqualTo("input_1");
  }

  private static String compact(byte[] json) {
    return JSON.writeValueAsString(JSON.readTree(json));
  }

  @Test
  void refusalsOfWrappedFormsPointIntoTheBodyAsSent() throws Exception {
    HttpResponse<byte[]> wrapped = send(invocation(
        "{\"inputs\": {\"input_1\": [[1, 2, 3]], \"input_2\": [[1, 2]]}}".getBytes(StandardCharsets.UTF_8)).build());
    HttpResponse<byte[]> itemsWithoutTheirSequenceAxis = send(invocation(("{\"instances\": ["
        + "{\"input_1\": [1, 2, 3, 4], \"input_2\": [1, 2]}, {\"input_1\": [1, 2, 3, 4], \"input_2\": [1, 2]}]}")
        .getBytes(StandardCharsets.UTF_8)).build());

    assertThat(problem(wrapped, 422).get("pointer").asString()).isEqualTo("/inputs/input_1");
    assertThat(problem(itemsWithoutTheirSequenceAxis, 422).get("pointer").asString()).isEqualTo("/instances");
  }

  @Test
  void aBodyInUtf32IsMalformedNotAServerFailure() throws Exception {
    byte[] utf32 = "{\"input_1\": [[1, 2, 3, 4]]}".getBytes(java.nio.charset.Charset.forName("UTF-32BE"));
    utf32[9] = 0x7f; // an invalid code point in the second character
    utf32[10] = 0;

    assertThat(problem(send(invocation(utf32).build()), 400).get("type").asString()).endsWith("malformed-body");
  }

  @Test
  void executionParametersTellBatchTransformHowToCallThisContainer() throws Exception {
    HttpResponse<byte[]> response = send(request("/execution-parameters").build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/json");
    JsonNode parameters = JSON.readTree(response.body());
    assertThat(parameters.get("MaxConcurrentTransforms").asInt()).as("8 per inference thread, 2 here").isEqualTo(16);
    assertThat(parameters.get("BatchStrategy").asString()).isEqualTo("SINGLE_RECORD");
    assertThat(parameters.get("MaxPayloadInMB").asInt()).as("the 1 MiB body limit").isEqualTo(1);
  }

  @Test
  void customAttributesComeBackWithTheAnswerAndWithARefusal() throws Exception {
    String attributes = "trace_id=abc-123,variant=blue";
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("unbatched");

    HttpResponse<byte[]> served = send(invocation(golden.requestBody())
        .header("X-Amzn-SageMaker-Custom-Attributes", attributes).build());
    HttpResponse<byte[]> refused = send(invocation("{\"input_1\": [[1, 2, 3]]}".getBytes(StandardCharsets.UTF_8))
        .header("X-Amzn-SageMaker-Custom-Attributes", attributes).build());

    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("X-Amzn-SageMaker-Custom-Attributes")).hasValue(attributes);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.headers().firstValue("X-Amzn-SageMaker-Custom-Attributes")).hasValue(attributes);
    assertThat(goodRequest().headers().firstValue("X-Amzn-SageMaker-Custom-Attributes")).isEmpty();
  }

  @Test
  void pingAnswers200OnceTheModelIsLoaded() throws Exception {
    HttpResponse<byte[]> response = send(request("/ping").GET().build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/json");
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"ready\"}");
    assertThat(server.isReady()).isTrue();
  }

  @Test
  void pingRejectsPost() throws Exception {
    HttpResponse<byte[]> response = send(request("/ping").POST(HttpRequest.BodyPublishers.noBody()).build());

    problem(response, 405);
    assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  @Test
  void goldenUnbatchedRequestGetsTheGoldenResponse() throws Exception {
    HttpResponse<byte[]> response = goodRequest();

    Map<String, Tensor> outputs = decode(response.body());
    assertThat(outputs.get("output_1").shape()).containsExactly(1);
    assertThat(outputs.get("output_2").shape()).containsExactly(3);
  }

  @Test
  void goldenBatchedRequestGetsTheGoldenResponse() throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");

    HttpResponse<byte[]> response = send(invocation(golden.requestBody()).build());

    assertThat(response.statusCode()).isEqualTo(200);
    ExampleModel.assertMatchesGolden(decode(response.body()), golden);
  }

  @Test
  void missingInputIsA422NamingTheInput() throws Exception {
    JsonNode golden = JSON.readTree(ExampleModel.LSTM_TWO_INPUTS.golden("unbatched").requestBody());
    assertThat(golden.has("input_2")).isTrue();
    String body = "{\"input_1\": " + JSON.writeValueAsString(golden.get("input_1")) + "}";

    JsonNode problem = problem(send(invocation(body.getBytes(StandardCharsets.UTF_8)).build()), 422);

    assertThat(problem.get("type").asString()).isEqualTo("https://modelcontract.dev/problems/contract-violation");
    assertThat(problem.get("input").asString()).isEqualTo("input_2");
    assertThat(problem.get("pointer").asString()).isEqualTo("/input_2");
    assertThat(problem.get("expected").asString()).contains("[batch, T, 2]");
    assertThat(problem.get("actual").asString()).isEqualTo("no such field in the request");
    assertThat(problem.get("detail").asString()).startsWith("input 'input_2': expected");
  }

  @Test
  void wrongFeatureSizeIsA422WithExpectedAndActual() throws Exception {
    byte[] body = "{\"input_1\": [[1, 2, 3]], \"input_2\": [[1, 2]]}".getBytes(StandardCharsets.UTF_8);

    JsonNode problem = problem(send(invocation(body).build()), 422);

    assertThat(problem.get("input").asString()).isEqualTo("input_1");
    assertThat(problem.get("expected").asString()).contains("size 4");
    assertThat(problem.get("actual").asString()).contains("size 3");
  }

  @Test
  void stringInAFloatInputIsA422NamingTheInputAndElement() throws Exception {
    byte[] body = "{\"input_1\": [[1, 2, 3, \"4\"]], \"input_2\": [[1, 2]]}".getBytes(StandardCharsets.UTF_8);

    JsonNode problem = problem(send(invocation(body).build()), 422);

    assertThat(problem.get("type").asString()).isEqualTo("https://modelcontract.dev/problems/contract-violation");
    assertThat(problem.get("input").asString()).isEqualTo("input_1");
    assertThat(problem.get("pointer").asString()).isEqualTo("/input_1/0/3");
    assertThat(problem.get("expected").asString()).isEqualTo("a finite float32 number");
    assertThat(problem.get("actual").asString()).isEqualTo("the string \"4\"");
    assertThat(problem.get("detail").asString())
        .isEqualTo("'input_1' at /input_1/0/3: expected a finite float32 number, but got the string \"4\"");
  }

  @Test
  void nonFiniteValueInAFloatInputIsA422() throws Exception {
    byte[] body = "{\"input_1\": [[1, 2, 3, NaN]], \"input_2\": [[1, 2]]}".getBytes(StandardCharsets.UTF_8);

    JsonNode problem = problem(send(invocation(body).build()), 422);

    assertThat(problem.get("input").asString()).isEqualTo("input_1");
    assertThat(problem.get("actual").asString()).isEqualTo("NaN (the input does not allow non-finite values)");
  }

  @Test
  void wrongContentTypeIs415() throws Exception {
    HttpRequest request = request("/invocations").header("Content-Type", "application/xml")
        .POST(HttpRequest.BodyPublishers.ofString("<x/>")).build();

    JsonNode problem = problem(send(request), 415);

    assertThat(problem.get("supported").asString())
        .isEqualTo("application/json, application/jsonlines, application/x-npz");
    assertThat(problem.get("detail").asString()).contains("'application/xml'");
  }

  @Test
  void formatsThatCannotCarryThisModelsTwoInputsAre415SayingWhy() throws Exception {
    HttpRequest csv = request("/invocations").header("Content-Type", "text/csv")
        .POST(HttpRequest.BodyPublishers.ofString("1,2,3")).build();
    HttpRequest npy = request("/invocations").header("Content-Type", "application/x-npy")
        .POST(HttpRequest.BodyPublishers.ofString("x")).build();

    assertThat(problem(send(csv), 415).get("detail").asString())
        .contains("CSV carries one input, and this model takes 2");
    assertThat(problem(send(npy), 415).get("detail").asString())
        .contains("an .npy body carries one array, and this model takes 2 inputs; send application/x-npz");
  }

  @Test
  void missingContentTypeIs415() throws Exception {
    HttpRequest request = request("/invocations").POST(HttpRequest.BodyPublishers.ofString("{}")).build();

    JsonNode problem = problem(send(request), 415);

    assertThat(problem.get("detail").asString()).contains("missing");
  }

  @Test
  void contentTypeParametersAreIgnored() throws Exception {
    HttpRequest request = request("/invocations").header("Content-Type", "Application/JSON; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(ExampleModel.LSTM_TWO_INPUTS.golden("unbatched").requestBody())).build();

    assertThat(send(request).statusCode()).isEqualTo(200);
  }

  @Test
  void acceptThatExcludesJsonIs406() throws Exception {
    HttpRequest request = invocation(ExampleModel.LSTM_TWO_INPUTS.golden("unbatched").requestBody()).header("Accept", "text/csv")
        .build();

    JsonNode problem = problem(send(request), 406);

    assertThat(problem.get("supported").asString()).isEqualTo("application/json, application/x-npz");
  }

  @Test
  void acceptWithQualitiesAndWildcardIsServed() throws Exception {
    for (String accept : new String[] {"application/json;q=0.9, */*;q=0.1", "text/csv, */*", "application/*"}) {
      HttpRequest request = invocation(ExampleModel.LSTM_TWO_INPUTS.golden("unbatched").requestBody()).header("Accept", accept).build();

      HttpResponse<byte[]> response = send(request);

      assertThat(response.statusCode()).as(accept).isEqualTo(200);
      assertThat(contentType(response)).as(accept).isEqualTo("application/json");
    }
  }

  @Test
  void malformedJsonIs400() throws Exception {
    JsonNode problem = problem(send(invocation("{\"input_1\": [[1, 2,".getBytes(StandardCharsets.UTF_8)).build()), 400);

    assertThat(problem.get("type").asString()).endsWith("/malformed-body");
    assertThat(problem.get("detail").asString()).startsWith("the body is not valid JSON");
    assertThat(problem.get("pointer").asString()).isEmpty();
  }

  @Test
  void raggedArrayIs400WithItsPointer() throws Exception {
    byte[] body = "{\"input_1\": [[1, 2, 3, 4], [5]], \"input_2\": [[1, 2], [3, 4]]}".getBytes(StandardCharsets.UTF_8);

    JsonNode problem = problem(send(invocation(body).build()), 400);

    assertThat(problem.get("pointer").asString()).isEqualTo("/input_1/1");
  }

  @Test
  void declaredBodyOverTheLimitIs413AndTheClientReadsItAfterSendingTheBody() throws Exception {
    // A client that sends its whole oversized body, as SageMaker clients do, must read the 413, not a reset.
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + (LIMIT + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[(int) LIMIT + 1]);
      out.flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      int length = Integer.parseInt(head.replaceAll("(?is).*\r\ncontent-length: *(\\d+).*", "$1"));
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);

      assertThat(head).startsWith("HTTP/1.1 413 ");
      assertThat(head).containsIgnoringCase("Content-Type: application/problem+json");
      JsonNode problem = JSON.readTree(body);
      assertThat(problem.get("status").asInt()).isEqualTo(413);
      assertThat(problem.get("limit").asString()).isEqualTo(Long.toString(LIMIT));
      assertThat(problem.get("detail").asString())
          .contains("the body has " + (LIMIT + 1) + " bytes, more than the limit of " + LIMIT + " bytes");
    }
  }

  /** The status line and headers, up to the blank line. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    JsonNode problem = problem(send(oversizedInvocation()), 413);

    assertThat(problem.get("type").asString()).endsWith("/payload-too-large");
    assertThat(problem.get("limit").asString()).isEqualTo(Long.toString(LIMIT));
    assertThat(problem.get("detail").asString()).contains("more bytes than the limit of " + LIMIT);
  }

  /**
   * A body slightly over the limit, streamed without a Content-Length so the server reads it up to the limit.
   * (With a declared length the server answers before reading, and a client still uploading may see the
   * connection reset instead of the 413; the raw-socket test above covers that path.)
   */
  private static HttpRequest oversizedInvocation() {
    byte[] body = oversizedBody();
    return request("/invocations").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
  }

  /** Valid JSON slightly over the limit. */
  private static byte[] oversizedBody() {
    StringBuilder json = new StringBuilder((int) LIMIT + 64).append("{\"input_1\": [");
    while (json.length() < LIMIT + 16) {
      json.append("[1.0, 2.0, 3.0, 4.0],");
    }
    json.append("[1.0, 2.0, 3.0, 4.0]]}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void getOnInvocationsIs405() throws Exception {
    HttpResponse<byte[]> response = send(request("/invocations").GET().build());

    problem(response, 405);
    assertThat(response.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void unknownPathsAre404() throws Exception {
    for (String path : new String[] {"/nope", "/pingx", "/invocations/extra", "/"}) {
      JsonNode problem = problem(send(request(path).GET().build()), 404);

      assertThat(problem.get("type").asString()).as(path).endsWith("/not-found");
    }
  }

  @Test
  void serverKeepsServingAfterBadRequests() throws Exception {
    byte[] golden = ExampleModel.LSTM_TWO_INPUTS.golden("unbatched").requestBody();
    assertThat(send(invocation("{".getBytes(StandardCharsets.UTF_8)).build()).statusCode()).isEqualTo(400);
    assertThat(send(invocation("{\"input_1\": [[1,2,3,4]]}".getBytes(StandardCharsets.UTF_8)).build()).statusCode())
        .isEqualTo(422);
    assertThat(send(invocation(golden).header("Accept", "text/csv").build()).statusCode()).isEqualTo(406);
    assertThat(send(request("/invocations").header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofByteArray(golden)).build()).statusCode()).isEqualTo(415);
    assertThat(send(oversizedInvocation()).statusCode()).isEqualTo(413);
    assertThat(send(request("/invocations").GET().build()).statusCode()).isEqualTo(405);
    assertThat(send(request("/nope").GET().build()).statusCode()).isEqualTo(404);

    goodRequest();
    assertThat(send(request("/ping").GET().build()).statusCode()).isEqualTo(200);
  }

  @Test
  void pingIs503AndInvocationsAre503UntilTheModelIsLoaded() throws Exception {
    try (SageMakerServer loading = SageMakerServer.start(new ServerConfig(0, ExampleModel.LSTM_TWO_INPUTS.modelDir(), LIMIT, 1))) {
      String loadingBase = "http://127.0.0.1:" + loading.port();
      assertThat(loading.isReady()).isFalse();

      HttpResponse<byte[]> ping = send(HttpRequest.newBuilder(URI.create(loadingBase + "/ping")).GET().build());
      assertThat(ping.statusCode()).isEqualTo(503);
      assertThat(new String(ping.body(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"loading\"}");

      HttpResponse<byte[]> invocation = send(HttpRequest.newBuilder(URI.create(loadingBase + "/invocations"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(ExampleModel.LSTM_TWO_INPUTS.golden("unbatched").requestBody())).build());
      JsonNode problem = problem(invocation, 503);
      assertThat(problem.get("type").asString()).endsWith("/model-loading");
    }
  }

  @Test
  void headPingHasNoBody() throws Exception {
    HttpResponse<byte[]> response = send(request("/ping").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void concurrentRequestsAreAllServed() throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");
    List<CompletableFuture<HttpResponse<byte[]>>> futures = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      futures.add(CLIENT.sendAsync(invocation(golden.requestBody()).build(), HttpResponse.BodyHandlers.ofByteArray()));
    }
    for (CompletableFuture<HttpResponse<byte[]>> future : futures) {
      HttpResponse<byte[]> response = future.get();
      assertThat(response.statusCode()).isEqualTo(200);
      ExampleModel.assertMatchesGolden(decode(response.body()), golden);
    }
  }

  private static HttpRequest.Builder tokenInvocation(String body) {
    return HttpRequest.newBuilder(URI.create(tokenBase + "/invocations")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
  }

  @Test
  void requestWithoutTheOptionalMaskGetsTheGoldenResponse() throws Exception {
    for (String name : new String[] {"unbatched-default-mask", "batched-default-mask", "batched-mask"}) {
      GoldenCase golden = ExampleModel.TOKEN_CLASSIFIER.golden(name);

      HttpResponse<byte[]> response = send(tokenInvocation(new String(golden.requestBody(), StandardCharsets.UTF_8))
          .build());

      assertThat(response.statusCode()).as(name).isEqualTo(200);
      ExampleModel.assertMatchesGolden(decode(response.body()), golden);
    }
  }

  @Test
  void labelsAreAnsweredAsJsonStrings() throws Exception {
    HttpResponse<byte[]> response = send(tokenInvocation("{\"tokens\": [6, 16, 18, 21]}").build());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("topic").isString()).isTrue();
    assertThat(body.get("topic").asString()).isEqualTo("politics");
    assertThat(body.get("scores").size()).isEqualTo(4);
    assertThat(((StringTensor) decode(response.body()).get("topic")).values()).containsExactly("politics");
  }

  @Test
  void maskSentAsNumbersIsA422NamingTheMask() throws Exception {
    JsonNode problem = problem(send(tokenInvocation("{\"tokens\": [[1, 2]], \"mask\": [[1, 0]]}").build()), 422);

    assertThat(problem.get("type").asString()).endsWith("/contract-violation");
    assertThat(problem.get("input").asString()).isEqualTo("mask");
    assertThat(problem.get("pointer").asString()).isEqualTo("/mask/0/0");
    assertThat(problem.get("expected").asString()).isEqualTo("true or false");
    assertThat(problem.get("actual").asString()).isEqualTo("the value 1");
    assertThat(problem.get("detail").asString()).isEqualTo("'mask' at /mask/0/0: expected true or false, but got the"
        + " value 1");
  }

  @Test
  void fractionalTokenIsA422QuotingTheContractsRange() throws Exception {
    JsonNode problem = problem(send(tokenInvocation("{\"tokens\": [[1, 1.5]]}").build()), 422);

    assertThat(problem.get("input").asString()).isEqualTo("tokens");
    assertThat(problem.get("pointer").asString()).isEqualTo("/tokens/0/1");
    assertThat(problem.get("expected").asString()).isEqualTo("an int64 integer from 0 to 49 (the contract's range)");
    assertThat(problem.get("actual").asString()).isEqualTo("1.5, not an integer");
    assertThat(problem.get("detail").asString()).isEqualTo("'tokens' at /tokens/0/1: expected an int64 integer from 0"
        + " to 49 (the contract's range), but got 1.5, not an integer");
  }

  @Test
  void aTokenOutsideItsRangeIsQuotedWhereItSitsInTheBodyAsSentInEveryForm() throws Exception {
    Map<String, String> pointers = new LinkedHashMap<>();
    pointers.put("{\"tokens\": [1, 50]}", "/tokens/1");
    pointers.put("{\"tokens\": [[1, 2], [3, 50]]}", "/tokens/1/1");
    pointers.put("{\"inputs\": {\"tokens\": [[1, 2], [3, 50]]}}", "/inputs/tokens/1/1");
    pointers.put("{\"instances\": [{\"tokens\": [1, 2]}, {\"tokens\": [3, 50]}]}", "/instances/1/tokens/1");
    pointers.put("{\"inputs\": [{\"name\": \"tokens\", \"shape\": [2, 2], \"datatype\": \"INT64\","
        + " \"data\": [1, 2, 3, 50]}]}", "/inputs/0/data/3");
    pointers.put("{\"inputs\": [{\"name\": \"tokens\", \"shape\": [2, 2], \"datatype\": \"INT64\","
        + " \"data\": [[1, 2], [3, 50]]}]}", "/inputs/0/data/1/1");

    for (Map.Entry<String, String> body : pointers.entrySet()) {
      JsonNode problem = problem(send(tokenInvocation(body.getKey()).build()), 422);

      assertThat(problem.get("pointer").asString()).as(body.getKey()).isEqualTo(body.getValue());
      assertThat(problem.get("actual").asString()).as(body.getKey()).isEqualTo("50");
      assertThat(problem.get("detail").asString()).as(body.getKey()).isEqualTo("'tokens' at " + body.getValue()
          + ": expected values from 0 to 49 (the contract's range), but got 50");
    }
  }

  @Test
  void aValueThatOverflowsOnceStandardizedIsQuotedWhereItSitsInTheBodyAsSent() throws Exception {
    String input1 = "\"input_1\": [[101.0, 99.5, 103.0, 100.5]]";
    String input2 = "\"input_2\": [[15200.0, 3.4028235e38]]";

    JsonNode unbatched = problem(send(invocation(("{" + input1 + ", " + input2 + "}")
        .getBytes(StandardCharsets.UTF_8)).build()), 422);
    JsonNode instances = problem(send(invocation(("{\"instances\": [{" + input1.replace("[[101.0", "[[100.0") + ", "
        + input2.replace("[[15200.0, 3.4028235e38]]", "[[1.0, 2.0]]") + "}, {" + input1 + ", " + input2 + "}]}")
        .getBytes(StandardCharsets.UTF_8)).build()), 422);

    assertThat(unbatched.get("pointer").asString()).isEqualTo("/input_2/0/1");
    assertThat(unbatched.get("detail").asString()).startsWith("'input_2' at /input_2/0/1: expected values that stay"
        + " finite once standardized");
    assertThat(instances.get("pointer").asString()).isEqualTo("/instances/1/input_2/0/1");
    assertThat(instances.get("detail").asString()).startsWith("'input_2' at /instances/1/input_2/0/1: ");
  }

  @Test
  void anEmptyHistoryIsA422NamingTheInputAndTheBoundOfItsDim() throws Exception {
    JsonNode batched = problem(send(tokenInvocation("{\"tokens\": [[]]}").build()), 422);
    JsonNode unbatched = problem(send(tokenInvocation("{\"tokens\": []}").build()), 422);
    JsonNode instance = problem(send(tokenInvocation("{\"instances\": [{\"tokens\": []}]}").build()), 422);
    JsonNode history = problem(send(invocation("{\"input_1\": [[]], \"input_2\": [[]]}"
        .getBytes(StandardCharsets.UTF_8)).build()), 422);
    JsonNode protocol = problem(send(invocation(("{\"inputs\": [{\"name\": \"input_1\", \"shape\": [1, 0, 4],"
        + " \"datatype\": \"FP32\", \"data\": []}, {\"name\": \"input_2\", \"shape\": [1, 0, 2],"
        + " \"datatype\": \"FP32\", \"data\": []}]}").getBytes(StandardCharsets.UTF_8)).build()), 422);

    for (JsonNode problem : List.of(batched, unbatched, instance)) {
      assertThat(problem.get("type").asString()).endsWith("/contract-violation");
      assertThat(problem.get("input").asString()).isEqualTo("tokens");
      assertThat(problem.get("actual").asString()).isEqualTo("T = 0");
    }
    assertThat(batched.get("expected").asString()).isEqualTo("1 <= T <= 64 on axis 1 of shape [batch, T]");
    assertThat(unbatched.get("expected").asString()).isEqualTo("1 <= T <= 64 on axis 0 of shape [T]");
    assertThat(instance.get("pointer").asString()).isEqualTo("/instances");
    for (JsonNode problem : List.of(history, protocol)) {
      assertThat(problem.get("input").asString()).isEqualTo("input_1");
      assertThat(problem.get("expected").asString()).isEqualTo("1 <= T <= 512 on axis 1 of shape [batch, T, 4]");
      assertThat(problem.get("actual").asString()).isEqualTo("T = 0");
    }
  }

  @Test
  void aBodyWhoseInputIsNoTensorAtAllIsStillA400() throws Exception {
    for (String body : List.of("{\"tokens\": {}}", "{\"tokens\": [[], [1]]}", "{\"tokens\": [[1], []]}",
        "{\"tokens\": [[], [[]]]}")) {
      JsonNode problem = problem(send(tokenInvocation(body).build()), 400);

      assertThat(problem.get("type").asString()).as(body).endsWith("/malformed-body");
    }
  }

  @Test
  void maskOfAnotherLengthThanTheTokensIsA422() throws Exception {
    JsonNode problem = problem(send(tokenInvocation("{\"tokens\": [[1, 2, 3]], \"mask\": [[true, false]]}")
        .build()), 422);

    assertThat(problem.get("input").asString()).isEqualTo("mask");
    assertThat(problem.get("expected").asString()).isEqualTo("T = 3 on axis 1, as in input 'tokens'");
    assertThat(problem.get("actual").asString()).isEqualTo("T = 2");
  }

  @Test
  void tokenOutsideItsRangeIsA422AtItsPositionAndTheModelNeverSeesIt() throws Exception {
    JsonNode problem = problem(send(tokenInvocation("{\"tokens\": [1, -1, 7]}").build()), 422);

    assertThat(problem.get("type").asString()).endsWith("/contract-violation");
    assertThat(problem.get("input").asString()).isEqualTo("tokens");
    assertThat(problem.get("pointer").asString()).isEqualTo("/tokens/1");
    assertThat(problem.get("detail").asString()).contains("from 0 to 49", "got -1");
    assertThat(send(tokenInvocation("{\"tokens\": [[0, 49]]}").build()).statusCode()).isEqualTo(200);
  }

  @Test
  void aModelFailingOnARequestItsContractAcceptsIsA500AndTheServerKeepsServing(@TempDir Path dir)
      throws Exception {
    try (SageMakerServer rangeless = SageMakerServer.start(new ServerConfig(0,
        ExampleModel.TOKEN_CLASSIFIER.withoutRange(dir), LIMIT, 1))) {
      rangeless.loadModel();
      URI invocations = URI.create("http://127.0.0.1:" + rangeless.port() + "/invocations");

      JsonNode problem = problem(send(HttpRequest.newBuilder(invocations).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"tokens\": [[1, 50]]}")).build()), 500);
      int after = send(HttpRequest.newBuilder(invocations).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"tokens\": [[1, 49]]}")).build()).statusCode();

      assertThat(problem.get("type").asString()).endsWith("/model-failure");
      assertThat(problem.get("detail").asString())
          .isEqualTo("the model failed in forward: RuntimeError: index out of range in self");
      assertThat(after).isEqualTo(200);
    }
  }
}
