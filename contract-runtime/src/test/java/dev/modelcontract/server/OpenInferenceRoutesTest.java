package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.Tensor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The Open Inference Protocol's REST routes (KServe v2) over the two-input LSTM example, named as a build names it. */
class OpenInferenceRoutesTest {

  private static final String NAME = "lstm-two-inputs";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static SageMakerServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.ready(TestServers.config(ExampleModel.LSTM_TWO_INPUTS, 1 << 20, 1).withModelName(NAME));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void healthRoutesAnswer200WithTheirFlagOnceTheModelIsReady() throws Exception {
    assertJson(get(server, "/v2/health/live"), "{\"live\":true}");
    assertJson(get(server, "/v2/health/ready"), "{\"ready\":true}");
    assertJson(get(server, "/v2/models/" + NAME + "/ready"), "{\"name\":\"" + NAME + "\",\"ready\":true}");
  }

  @Test
  void serverMetadataNamesTheServerItsVersionAndNoExtensions() throws Exception {
    assertJson(get(server, "/v2"), "{\"name\":\"model-contract\",\"version\":\"dev\",\"extensions\":[]}");
  }

  @Test
  void modelMetadataIsTheContractsInputsAndOutputsWithProtocolDatatypesAndMinusOneForNamedDims() throws Exception {
    assertJson(get(server, "/v2/models/" + NAME), "{\"name\":\"" + NAME + "\",\"platform\":\"pytorch_torchscript\","
        + "\"inputs\":[{\"name\":\"input_1\",\"datatype\":\"FP32\",\"shape\":[-1,-1,4]},"
        + "{\"name\":\"input_2\",\"datatype\":\"FP32\",\"shape\":[-1,-1,2]}],"
        + "\"outputs\":[{\"name\":\"output_1\",\"datatype\":\"FP32\",\"shape\":[-1,1]},"
        + "{\"name\":\"output_2\",\"datatype\":\"FP32\",\"shape\":[-1,3]}]}");
  }

  @Test
  void inferAnswersTheGoldenRequestExactlyAsInvocationsAnswersIt() throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");
    byte[] body = openInference(golden, "request-7");

    HttpResponse<byte[]> infer = post(server, "/v2/models/" + NAME + "/infer", "application/json", body);
    HttpResponse<byte[]> invocations = post(server, "/invocations", "application/json", body);

    assertThat(infer.statusCode()).as(text(infer)).isEqualTo(200);
    assertThat(infer.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(text(infer)).isEqualTo(text(invocations));
    JsonNode answer = JSON.readTree(infer.body());
    assertThat(answer.get("model_name").asString()).as("the build's name, in answers too").isEqualTo(NAME);
    assertThat(answer.get("id").asString()).isEqualTo("request-7");
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    for (JsonNode output : answer.get("outputs")) {
      outputs.put(output.get("name").asString(), Tensor.of(JSON.treeToValue(output.get("shape"), long[].class),
          JSON.treeToValue(output.get("data"), float[].class)));
    }
    ExampleModel.assertMatchesGolden(outputs, golden);
  }

  @Test
  void inferReadsABodyWithoutContentTypeAsJson() throws Exception {
    byte[] body = openInference(ExampleModel.LSTM_TWO_INPUTS.golden("batched"), "r");

    HttpResponse<byte[]> infer = post(server, "/v2/models/" + NAME + "/infer", null, body);

    assertThat(infer.statusCode()).as(text(infer)).isEqualTo(200);
  }

  @Test
  void aModelNameNotServedIs404InTheProtocolsErrorForm() throws Exception {
    for (String path : new String[] {"/v2/models/other", "/v2/models/other/ready", "/v2/models/other/infer"}) {
      HttpResponse<byte[]> response = path.endsWith("/infer")
          ? post(server, path, "application/json", openInference(ExampleModel.LSTM_TWO_INPUTS.golden("batched"), "r"))
          : get(server, path);
      JsonNode error = error(response, 404, "not-found");
      assertThat(error.get("error").asString()).contains("'other'").contains("'" + NAME + "'");
      assertThat(error.get("model").asString()).isEqualTo("other");
    }
    error(get(server, "/v2/models/" + NAME + "/versions/1"), 404, "not-found");
    error(get(server, "/v2/health"), 404, "not-found");
  }

  @Test
  void inferRefusesOtherBodiesWithAClearProblem() throws Exception {
    String infer = "/v2/models/" + NAME + "/infer";
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");

    JsonNode named = error(post(server, infer, "application/json", golden.requestBody()), 400, "malformed-body");
    assertThat(named.get("error").asString()).startsWith("the body is in the named form; the Open Inference"
        + " Protocol's infer route takes");
    JsonNode npz = error(post(server, infer, "application/x-npz", new byte[] {1}), 415, "unsupported-media-type");
    assertThat(npz.get("error").asString()).contains("POST /invocations");
    HttpResponse<byte[]> get = get(server, infer);
    error(get, 405, "method-not-allowed");
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    error(post(server, "/v2/health/ready", "application/json", new byte[0]), 405, "method-not-allowed");
  }

  @Test
  void requestsToInferAreCountedUnderTheRoutesTemplate() throws Exception {
    post(server, "/v2/models/" + NAME + "/infer", null, openInference(ExampleModel.LSTM_TWO_INPUTS.golden("batched"),
        "r"));

    assertThat(text(get(server, "/metrics"))).contains("path=\"/v2/models/{model_name}/infer\"");
  }

  @Test
  void beforeTheModelIsLoadedTheServerIsLiveButNotReady() throws Exception {
    try (SageMakerServer loading = SageMakerServer.start(TestServers.config(ExampleModel.LSTM_TWO_INPUTS, 1 << 20, 1)
        .withModelName(NAME))) {
      assertJson(get(loading, "/v2/health/live"), "{\"live\":true}");
      assertThat(error(get(loading, "/v2/health/ready"), 503, "model-loading").get("error").asString())
          .startsWith("the model is loading");
      error(get(loading, "/v2/models/" + NAME + "/ready"), 503, "model-loading");
      error(get(loading, "/v2/models/" + NAME), 503, "model-loading");
      error(get(loading, "/v2/models/other/ready"), 404, "not-found");
      error(post(loading, "/v2/models/" + NAME + "/infer", "application/json",
          openInference(ExampleModel.LSTM_TWO_INPUTS.golden("batched"), "r")), 503, "model-loading");
    }
  }

  @Test
  void withoutANameTheModelIsNamedAfterItsFile() throws Exception {
    try (SageMakerServer unnamed = TestServers.ready(TestServers.config(ExampleModel.LSTM_TWO_INPUTS, 1 << 20, 1))) {
      assertJson(get(unnamed, "/v2/models/model/ready"), "{\"name\":\"model\",\"ready\":true}");
      error(get(unnamed, "/v2/models/" + NAME), 404, "not-found");
    }
  }

  /** The golden request in the Open Inference Protocol's form: each input flat, with its shape. */
  static byte[] openInference(GoldenCase golden, String id) {
    JsonNode request = JSON.readTree(golden.requestBody());
    ObjectNode body = JSON.createObjectNode().put("id", id);
    ArrayNode inputs = body.putArray("inputs");
    request.properties().forEach(entry -> {
      JsonNode values = entry.getValue();
      ObjectNode input = inputs.addObject().put("name", entry.getKey()).put("datatype", "FP32");
      input.putArray("shape").add(values.size()).add(values.get(0).size()).add(values.get(0).get(0).size());
      ArrayNode data = input.putArray("data");
      values.forEach(row -> row.forEach(step -> step.forEach(data::add)));
    });
    return JSON.writeValueAsBytes(body);
  }

  private static JsonNode error(HttpResponse<byte[]> response, int status, String slug) {
    assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("type").asString()).isEqualTo(ProblemType.TYPE_BASE + slug);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("error").asString()).as("the protocol's member").isEqualTo(problem.get("detail")
        .asString());
    return problem;
  }

  private static void assertJson(HttpResponse<byte[]> response, String expected) {
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(expected));
  }

  private static HttpResponse<byte[]> get(SageMakerServer target, String path)
      throws IOException, InterruptedException {
    return CLIENT.send(HttpRequest.newBuilder(uri(target, path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> post(SageMakerServer target, String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(target, path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static URI uri(SageMakerServer target, String path) {
    return URI.create("http://127.0.0.1:" + target.port() + path);
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
