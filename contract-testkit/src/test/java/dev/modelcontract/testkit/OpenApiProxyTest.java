package dev.modelcontract.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.hosting.EnvironmentVariable;
import dev.modelcontract.server.MediaTypes;
import dev.modelcontract.server.OpenApiDocument;
import dev.modelcontract.server.SageMakerServer;
import dev.modelcontract.server.ServerConfig;
import dev.modelcontract.validation.Check;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document the build writes, judged against the server it describes by a third-party validator:
 * Stoplight Prism, as a validating proxy in front of the in-process server serving an example model (the model
 * itself, not a stub), sees the conformance suite's traffic, the golden requests again in every other JSON form and
 * answer type, and the reads of the other routes.
 *
 * <p>Prism cannot carry every request unchanged: it forwards binary bodies (.npy, .npz) decoded as UTF-8 text, so
 * the server refuses them (stoplightio/prism#1321), forwards JSON re-serialized, so a body padded past the size limit
 * arrives smaller, and answers a body that is not RFC 8259 JSON (Python's bare NaN) itself. What it says about the
 * exchanges it forwards is still checked; the server's answers to them are checked by the suite without Prism
 * (ModelContractExtensionTest, the plugin's verify).
 */
class OpenApiProxyTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @ParameterizedTest
  @ValueSource(strings = {"lstm-two-inputs", "house-prices"})
  void prismFindsNoViolationInTheSuiteTrafficNorInAnyOtherFormOrRoute(String example, @TempDir Path dir)
      throws Exception {
    Path repo = EXAMPLES.resolve(example);
    ModelContract contract = contract(repo);
    List<GoldenCase> golden = GoldenCase.loadAll(repo.resolve(GoldenCase.FOLDER));
    Path document = write(OpenApiDocument.of(contract).document(example, "1.0.0"), dir);

    try (SageMakerServer server = serving(repo);
        PrismProxy prism = PrismProxy.start(document, endpoint(server), dir.resolve("prism.log"));
        ViolationRecorder recorder = ViolationRecorder.inFrontOf(prism)) {
      ContractClient client = new ContractClient(recorder.endpoint(), contract);
      List<String> wrong = new ArrayList<>();
      for (ConformanceSuite.Case suiteCase : ConformanceSuite.of(contract).withGolden(golden).withSeed(7).cases()) {
        Check check = suiteCase.run(client);
        if (suiteCase.kind() == ConformanceSuite.Kind.GOLDEN && !check.passed()) {
          wrong.add("golden pair through Prism: " + check.name() + ": " + check.detail());
        }
      }
      for (JsonFormRequests.Request request : JsonFormRequests.of(contract, golden)) {
        Answer answer = client.send(request.contentType(), request.accept(), request.body());
        if (answer.status() != request.status()) {
          wrong.add(request.name() + ": status " + answer.status() + ": " + answer.text());
        }
      }
      // No HEAD: Prism (5.14) parses the body of any answer with a JSON Content-Type, and a HEAD answer has none.
      String model = "/v2/models/" + contract.defaultName();
      for (String read : List.of("GET /ping", "GET /execution-parameters", "GET /metrics", "GET /v2/health/live",
          "GET /v2/health/ready", "GET /v2", "GET " + model, "GET " + model + "/ready")) {
        int status = send(recorder.endpoint(), read);
        if (status != 200) {
          wrong.add(read + ": status " + status);
        }
      }
      if (send(recorder.endpoint(), "GET /v2/models/other/ready") != 404) {
        wrong.add("GET /v2/models/other/ready: not 404");
      }

      List<ViolationRecorder.Exchange> exchanges = recorder.exchanges();
      for (ViolationRecorder.Exchange exchange : exchanges) {
        if (exchange.answeredByPrism()) {
          if (isJson(exchange.body())) {
            wrong.add("Prism answered a JSON body itself: " + exchange);
          }
          continue;
        }
        exchange.responseViolations().forEach(violation -> wrong.add("answer " + violation + " to " + exchange));
        if (exchange.status() < 300) {
          exchange.requestViolations().forEach(violation -> wrong.add("request " + violation + ", though the server"
              + " answered it: " + exchange));
        }
      }
      assertThat(wrong).as("Prism's log:%n%s", prism.log()).isEmpty();
      assertThat(exchanges).as("exchanges the server answered 200, every violation checked")
          .filteredOn(exchange -> exchange.status() == 200 && !exchange.answeredByPrism())
          .hasSizeGreaterThan(golden.size() * 4);
      assertThat(exchanges).as("refusals, every violation in the answer checked")
          .filteredOn(exchange -> exchange.status() >= 400 && !exchange.answeredByPrism())
          .hasSizeGreaterThan(10);
    }
  }

  @Test
  void prismFindsTheRequestAndTheAnswerOfAFormTheDocumentLeavesOut(@TempDir Path dir) throws Exception {
    Path repo = EXAMPLES.resolve("house-prices");
    ModelContract contract = contract(repo);
    ObjectNode document = OpenApiDocument.of(contract).document("house-prices", "1.0.0");
    withoutForm(document.at("/paths/~1invocations/post/requestBody/content/application~1json/schema/oneOf"),
        "instances");
    withoutForm(document.at("/paths/~1invocations/post/responses/200/content/application~1json/schema/oneOf"),
        "predictions");

    try (SageMakerServer server = serving(repo);
        PrismProxy prism = PrismProxy.start(write(document, dir), endpoint(server), dir.resolve("prism.log"));
        ViolationRecorder recorder = ViolationRecorder.inFrontOf(prism)) {
      Answer answer = new ContractClient(recorder.endpoint(), contract).send(MediaTypes.JSON, null,
          "{\"instances\": [{\"features\": [3, 80, 20, 5, 2, 1]}]}".getBytes());

      assertThat(answer.status()).isEqualTo(200);
      ViolationRecorder.Exchange exchange = recorder.exchanges().get(0);
      assertThat(exchange.requestViolations()).extracting(ViolationRecorder.Violation::message)
          .contains("Request body must NOT have additional properties; found 'instances'");
      assertThat(exchange.responseViolations()).extracting(ViolationRecorder.Violation::message)
          .contains("Response body must NOT have additional properties; found 'predictions'");
    }
  }

  private static ModelContract contract(Path repo) throws Exception {
    return new ContractReader().read(repo.resolve("model").resolve(ContractReader.FILE_NAME));
  }

  private static Path write(ObjectNode document, Path dir) throws Exception {
    Path file = dir.resolve("openapi.json");
    Files.writeString(file, document.toString());
    return file;
  }

  /** The example's real model, served as the image serves it: its golden pairs checked at start. */
  private static SageMakerServer serving(Path repo) throws Exception {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of(
        EnvironmentVariable.MODEL_CONTRACT_MODEL_DIR.name(), repo.resolve("model").toString(),
        EnvironmentVariable.MODEL_CONTRACT_GOLDEN_DIR.name(), repo.resolve(GoldenCase.FOLDER).toString()))
        .withPort(0);
    SageMakerServer server = SageMakerServer.start(config, InetAddress.getLoopbackAddress());
    try {
      server.loadModel();
      return server;
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
  }

  private static URI endpoint(SageMakerServer server) {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  private static int send(URI endpoint, String read) throws Exception {
    String[] methodAndPath = read.split(" ");
    HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(methodAndPath[1]))
        .method(methodAndPath[0], HttpRequest.BodyPublishers.noBody()).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static boolean isJson(byte[] body) {
    try {
      JSON.readTree(body);
      return true;
    } catch (JacksonException e) {
      return false;
    }
  }

  /** Removes the schema of the form whose one required member is {@code member}. */
  private static void withoutForm(JsonNode oneOf, String member) {
    ArrayNode forms = (ArrayNode) oneOf;
    for (int i = 0; i < forms.size(); i++) {
      if (member.equals(forms.get(i).path("required").path(0).asString(""))) {
        forms.remove(i);
        return;
      }
    }
    throw new IllegalArgumentException("no form requires '" + member + "'");
  }
}
