package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A SageMaker multi-model endpoint in process: example models laid out as SageMaker extracts their model.tar.gz
 * ({@code <name>/model} holding the contract, the TorchScript file and golden/), loaded, invoked, listed, described and
 * unloaded through the /models routes, and served under their names on the Open Inference Protocol's /v2 routes.
 */
class MultiModelEndpointTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path models;

  private static SageMakerServer server;

  @BeforeAll
  static void start() throws Exception {
    server = SageMakerServer.startMultiModel(TestServers.config(ExampleModel.HOUSE_PRICES, 1 << 20, 1), null,
        new ModelBudget(1L << 30));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void pingAnswers200WithNoModelLoaded() throws Exception {
    HttpResponse<byte[]> ping = send(server, HttpRequest.newBuilder(uri(server, "/ping")).GET());
    assertThat(ping.statusCode()).isEqualTo(200);
  }

  @Test
  void invocationsIs404PointingToTheInvokeRoute() throws Exception {
    HttpResponse<byte[]> answer = send(server, HttpRequest.newBuilder(uri(server, "/invocations"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));

    assertThat(assertProblem(answer, 404, "not-found").get("detail").asString()).contains("/models/NAME/invoke");
  }

  @Test
  void threeModelsLoadedIntoOneServerEachAnswerTheirGoldenRequests() throws Exception {
    List<ExampleModel> examples = List.of(ExampleModel.LSTM_TWO_INPUTS, ExampleModel.TWO_ARGS_DICT,
        ExampleModel.HOUSE_PRICES);
    for (ExampleModel example : examples) {
      assertStatus(load(server, "three-" + example.folder(), archive(example, "three-" + example.folder())), 200);
    }
    for (ExampleModel example : examples) {
      for (GoldenCase golden : example.goldenCases()) {
        HttpResponse<byte[]> answer = invoke(server, "three-" + example.folder(), golden.requestBody(),
            "X-Amzn-SageMaker-Target-Model", example.folder() + ".tar.gz",
            "X-Amzn-SageMaker-Custom-Attributes", "trace=" + golden.name());
        assertStatus(answer, 200);
        ExampleModel.assertMatchesGolden(decode(answer.body()), golden);
        assertThat(answer.headers().firstValue("X-Amzn-SageMaker-Custom-Attributes")).hasValue("trace="
            + golden.name());
      }
    }
    String metrics = new String(get(server, "/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics).contains("modelcontract_model_requests_total{model=\"three-house-prices\",status=\"200\"} "
        + ExampleModel.HOUSE_PRICES.goldenCases().size());
    JsonNode described = JSON.readTree(get(server, "/models/three-house-prices").body());
    assertThat(described.get("modelName").asString()).isEqualTo("three-house-prices");
    assertThat(described.get("modelUrl").asString()).isEqualTo(models.resolve("three-house-prices/model")
        .toString());
  }

  @Test
  void invokeRefusesWhatTheModelsContractRefusesAsInvocationsDoes() throws Exception {
    Path directory = archive(ExampleModel.HOUSE_PRICES, "refuses");
    assertStatus(load(server, "refuses", directory), 200);

    HttpResponse<byte[]> refused = invoke(server, "refuses", "{\"features\": [1, 2]}".getBytes(
        StandardCharsets.UTF_8));

    assertStatus(refused, 422);
    assertThat(JSON.readTree(refused.body()).get("type").asString()).endsWith("/contract-violation");
  }

  @Test
  void loadingANameThatIsLoadedIs409AndLeavesTheModelServing() throws Exception {
    Path directory = archive(ExampleModel.HOUSE_PRICES, "twice");
    assertStatus(load(server, "twice", directory), 200);

    HttpResponse<byte[]> again = load(server, "twice", directory);

    assertProblem(again, 409, "model-exists");
    GoldenCase golden = ExampleModel.HOUSE_PRICES.golden("unbatched");
    ExampleModel.assertMatchesGolden(decode(invoke(server, "twice", golden.requestBody()).body()), golden);
  }

  @Test
  void aModelNotLoadedIs404OnEveryRouteNamingIt() throws Exception {
    assertProblem(invoke(server, "nobody", "{}".getBytes(StandardCharsets.UTF_8)), 404, "not-found");
    assertProblem(get(server, "/models/nobody"), 404, "not-found");
    assertProblem(send(server, HttpRequest.newBuilder(uri(server, "/models/nobody")).DELETE()), 404, "not-found");
    assertThat(JSON.readTree(get(server, "/models/nobody").body()).get("model").asString()).isEqualTo("nobody");
    for (String path : List.of("/v2/models/nobody", "/v2/models/nobody/ready", "/v2/models/nobody/infer")) {
      HttpResponse<byte[]> refused = path.endsWith("/infer") ? post(server, path, "{}".getBytes(StandardCharsets.UTF_8))
          : get(server, path);
      JsonNode problem = assertProblem(refused, 404, "not-found");
      assertThat(problem.get("model").asString()).as(path).isEqualTo("nobody");
      assertThat(problem.get("error").asString()).as("the protocol's member").isEqualTo(problem.get("detail")
          .asString());
    }
  }

  @Test
  void everyLoadedModelAnswersTheOpenInferenceRoutesUnderItsNameThroughItsOwnHandler() throws Exception {
    assertStatus(load(server, "oip-lstm", archive(ExampleModel.LSTM_TWO_INPUTS, "oip-lstm")), 200);
    assertStatus(load(server, "oip-houses", archive(ExampleModel.HOUSE_PRICES, "oip-houses")), 200);
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");
    byte[] body = OpenInferenceRoutesTest.openInference(golden, "r-1");

    HttpResponse<byte[]> infer = post(server, "/v2/models/oip-lstm/infer", body);
    HttpResponse<byte[]> invoked = invoke(server, "oip-lstm", body);

    assertStatus(infer, 200);
    assertThat(text(infer)).as("answered as /models/NAME/invoke answers it").isEqualTo(text(invoked));
    JsonNode answer = JSON.readTree(infer.body());
    assertThat(answer.get("model_name").asString()).isEqualTo("oip-lstm");
    assertThat(answer.get("id").asString()).isEqualTo("r-1");
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    for (JsonNode output : answer.get("outputs")) {
      outputs.put(output.get("name").asString(), Tensor.of(JSON.treeToValue(output.get("shape"), long[].class),
          JSON.treeToValue(output.get("data"), float[].class)));
    }
    ExampleModel.assertMatchesGolden(outputs, golden);
    assertThat(text(get(server, "/metrics"))).as("the infer and the invoke, counted as the model's")
        .contains("modelcontract_model_requests_total{model=\"oip-lstm\",status=\"200\"} 2");
    for (ExampleModel example : List.of(ExampleModel.LSTM_TWO_INPUTS, ExampleModel.HOUSE_PRICES)) {
      String name = example == ExampleModel.HOUSE_PRICES ? "oip-houses" : "oip-lstm";
      HttpResponse<byte[]> metadata = get(server, "/v2/models/" + name);
      assertStatus(metadata, 200);
      assertThat(JSON.readTree(metadata.body())).as("its own contract's").isEqualTo(JSON.readTree(
          OpenInferenceMetadata.bytes(OpenInferenceMetadata.model(new ContractReader().read(example.modelDir()
          .resolve(ContractReader.FILE_NAME)), name))));
      assertThat(JSON.readTree(get(server, "/v2/models/" + name + "/ready").body()))
          .isEqualTo(JSON.readTree("{\"name\":\"" + name + "\",\"ready\":true}"));
    }
    assertThat(text(get(server, "/v2/health/ready"))).isEqualTo("{\"ready\":true}");
    assertThat(text(get(server, "/v2/health/live"))).isEqualTo("{\"live\":true}");
    assertThat(JSON.readTree(get(server, "/v2").body()).get("name").asString()).isEqualTo("model-contract");
  }

  /**
   * The model's golden pair is a named pipe, which its load reads only once the test writes it: the model is caught
   * loading, every time.
   */
  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void whileAModelLoadsItIsDescribedLoadingNotReadyOnV2AndNotLoadedToInvoke() throws Exception {
    Path directory = archive(ExampleModel.HOUSE_PRICES, "slow");
    Path pair = directory.resolve(GoldenCase.FOLDER).resolve("unbatched.json");
    byte[] golden = Files.readAllBytes(pair);
    Files.delete(pair);
    assertThat(new ProcessBuilder("mkfifo", pair.toString()).inheritIO().start().waitFor()).isZero();
    CompletableFuture<HttpResponse<byte[]>> loaded = CompletableFuture.supplyAsync(() -> {
      try {
        return load(server, "slow", directory);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    try (OutputStream pipe = Files.newOutputStream(pair)) { // opens once the load opens the pipe to read it
      JsonNode loading = JSON.readTree(get(server, "/models/slow").body());
      assertThat(loading.get("status").asString()).isEqualTo("LOADING");
      assertThat(loading.get("modelUrl").asString()).isEqualTo(directory.toString());
      assertThat(loading.get("workers")).isEmpty();
      assertThat(assertProblem(get(server, "/v2/models/slow/ready"), 503, "model-loading").get("error").asString())
          .contains("loading");
      assertProblem(get(server, "/v2/models/slow"), 503, "model-loading");
      assertProblem(post(server, "/v2/models/slow/infer", "{}".getBytes(StandardCharsets.UTF_8)), 503,
          "model-loading");
      assertProblem(invoke(server, "slow", ExampleModel.HOUSE_PRICES.golden("unbatched").requestBody()), 404,
          "not-found");
      assertThat(text(get(server, "/models"))).as("only loaded models are listed").doesNotContain("\"slow\"");
      pipe.write(golden);
    }

    assertStatus(loaded.get(60, TimeUnit.SECONDS), 200);
    JsonNode ready = JSON.readTree(get(server, "/models/slow").body());
    assertThat(ready.get("status").asString()).isEqualTo("READY");
    assertThat(ready.get("engine").asString()).isEqualTo("PyTorch");
    assertThat(ready.get("minWorkers").asInt()).isEqualTo(1);
    assertThat(ready.get("batchSize").asLong()).as("house-prices' batch maximum").isEqualTo(256);
    assertThat(ready.get("workers")).hasSize(1);
    assertThat(ready.at("/workers/0/status").asString()).isEqualTo("READY");
    assertStatus(get(server, "/v2/models/slow/ready"), 200);
  }

  /**
   * The multi-model document lists exactly the routes this server answers: every operation it names is answered
   * (neither 404 nor 405), each JSON answer of 200 fits the schema it gives, and /invocations, which it leaves out,
   * is 404.
   */
  @Test
  void everyOperationOfTheMultiModelDocumentIsServedAndItsAnswersFitIt() throws Exception {
    assertStatus(load(server, "documented", archive(ExampleModel.LSTM_TWO_INPUTS, "documented")), 200);
    JsonNode paths = OpenApiDocument.multiModel().document("multi-model", "1").get("paths");
    byte[] body = OpenInferenceRoutesTest.openInference(ExampleModel.LSTM_TWO_INPUTS.golden("batched"), "d");
    List<String> operations = new ArrayList<>();
    for (String template : paths.propertyNames()) {
      String path = template.replace("{model_name}", "documented");
      for (String method : paths.get(template).propertyNames()) {
        if (method.equals("delete")) {
          continue; // below, last
        }
        HttpResponse<byte[]> answer = send(server, HttpRequest.newBuilder(uri(server, path)).header("Content-Type",
            "application/json").method(method.toUpperCase(Locale.ROOT), method.equals("post")
            ? HttpRequest.BodyPublishers.ofByteArray(body) : HttpRequest.BodyPublishers.noBody()));
        assertThat(answer.statusCode()).as(method + " " + path + ": " + text(answer)).isNotIn(404, 405);
        JsonNode schema = paths.get(template).get(method).at("/responses/200/content/application~1json/schema");
        if (answer.statusCode() == 200 && !method.equals("head") && !schema.isMissingNode()) {
          assertThat(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema)
              .validate(JSON.readTree(answer.body()))).as(method + " " + path + ": " + text(answer)).isEmpty();
        }
        operations.add(method + " " + template);
      }
    }

    assertThat(operations).contains("get /models/{model_name}", "post /models/{model_name}/invoke",
        "post /v2/models/{model_name}/infer", "get /v2/models/{model_name}/ready", "head /models");
    assertThat(paths.propertyNames()).containsExactlyElementsOf(Routes.MULTI_MODEL_SERVED);
    assertStatus(send(server, HttpRequest.newBuilder(uri(server, "/models/documented")).DELETE()), 200);
    assertProblem(invoke(server, "documented", body), 404, "not-found");
    assertThat(paths.has("/invocations")).isFalse();
    assertProblem(send(server, HttpRequest.newBuilder(uri(server, "/invocations")).POST(
        HttpRequest.BodyPublishers.ofByteArray(body))), 404, "not-found");
  }

  @Test
  void listPagesThroughEveryLoadedModelByName() throws Exception {
    SageMakerServer own = SageMakerServer.startMultiModel(TestServers.config(ExampleModel.HOUSE_PRICES, 1 << 20, 1),
        null, new ModelBudget(1L << 30));
    try {
      for (String name : List.of("c", "a", "b")) {
        assertStatus(load(own, name, archive(ExampleModel.HOUSE_PRICES, "list-" + name)), 200);
      }
      List<String> names = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        JsonNode page = JSON.readTree(get(own, "/models?limit=2" + (token == null ? "" : "&next_page_token="
            + token)).body());
        page.get("models").forEach(model -> names.add(model.get("modelName").asString()));
        token = page.has("nextPageToken") ? page.get("nextPageToken").asString() : null;
        pages++;
      } while (token != null);
      assertThat(names).containsExactly("a", "b", "c");
      assertThat(pages).isEqualTo(2);
      JsonNode all = JSON.readTree(get(own, "/models").body());
      assertThat(all.get("models")).hasSize(3);
      assertThat(all.has("nextPageToken")).isFalse();
      assertThat(all.get("models").get(0).get("modelUrl").asString()).isEqualTo(models.resolve("list-a/model")
          .toString());
    } finally {
      own.close();
    }
  }

  @Test
  void anUnloadedModelIs404HasNoMetricsAndCanBeLoadedAgain() throws Exception {
    Path directory = archive(ExampleModel.TWO_ARGS_DICT, "unloaded");
    GoldenCase golden = ExampleModel.TWO_ARGS_DICT.golden("unbatched");
    assertStatus(load(server, "unloaded", directory), 200);
    assertStatus(invoke(server, "unloaded", golden.requestBody()), 200);
    assertThat(new String(get(server, "/metrics").body(), StandardCharsets.UTF_8)).contains("model=\"unloaded\"");

    assertStatus(send(server, HttpRequest.newBuilder(uri(server, "/models/unloaded")).DELETE()), 200);

    assertThat(new String(get(server, "/metrics").body(), StandardCharsets.UTF_8)).as("its series dropped")
        .doesNotContain("model=\"unloaded\"");
    assertProblem(invoke(server, "unloaded", golden.requestBody()), 404, "not-found");
    assertStatus(load(server, "unloaded", directory), 200);
    ExampleModel.assertMatchesGolden(decode(invoke(server, "unloaded", golden.requestBody()).body()), golden);
  }

  @Test
  void aModelWhoseGoldenPairDiffersIsRefusedNamingTheFileWhileTheOthersKeepAnswering() throws Exception {
    assertStatus(load(server, "steady", archive(ExampleModel.HOUSE_PRICES, "steady")), 200);
    Path wrong = archive(ExampleModel.HOUSE_PRICES, "wrong-golden");
    Path pair = wrong.resolve("golden/unbatched.json");
    Files.writeString(pair, Files.readString(pair).replace("\"price\": [472.", "\"price\": [572."));

    HttpResponse<byte[]> refused = load(server, "wrong-golden", wrong);

    JsonNode problem = assertProblem(refused, 422, "model-not-loadable");
    assertThat(problem.get("file").asString()).isEqualTo(wrong.resolve("golden").toString());
    assertThat(problem.get("location").asString()).contains("unbatched");
    assertProblem(get(server, "/models/wrong-golden"), 404, "not-found");
    GoldenCase golden = ExampleModel.HOUSE_PRICES.golden("unbatched");
    ExampleModel.assertMatchesGolden(decode(invoke(server, "steady", golden.requestBody()).body()), golden);
  }

  @Test
  void aModelWhoseContractIsInvalidIsRefusedNamingTheFileAndLine() throws Exception {
    Path broken = archive(ExampleModel.HOUSE_PRICES, "broken-contract");
    Path contract = broken.resolve("model-contract.yaml");
    Files.writeString(contract, Files.readString(contract).replaceFirst("dtype: float32", "dtype: float33"));

    JsonNode problem = assertProblem(load(server, "broken-contract", broken), 422, "model-not-loadable");

    assertThat(problem.get("file").asString()).isEqualTo(contract.toString());
    assertThat(problem.get("location").asString()).startsWith(contract + ":22:");
    assertThat(problem.get("detail").asString()).contains("/inputs/0/dtype");
  }

  @Test
  void aLoadPastTheMemoryBudgetIs507() throws Exception {
    SageMakerServer small = SageMakerServer.startMultiModel(TestServers.config(ExampleModel.HOUSE_PRICES, 1 << 20,
        1), null, new ModelBudget(ModelBudget.PER_MODEL_OVERHEAD_BYTES + (1 << 20)));
    try {
      assertStatus(load(small, "first", archive(ExampleModel.HOUSE_PRICES, "budget-first")), 200);

      assertProblem(load(small, "second", archive(ExampleModel.HOUSE_PRICES, "budget-second")), 507,
          "insufficient-memory");

      assertStatus(send(small, HttpRequest.newBuilder(uri(small, "/models/first")).DELETE()), 200);
      assertStatus(load(small, "second", models.resolve("budget-second/model")), 200);
    } finally {
      small.close();
    }
  }

  @Test
  void fiftyLoadAndUnloadCyclesLeaveAnotherModelAnsweringEveryRequest() throws Exception {
    assertStatus(load(server, "constant", archive(ExampleModel.HOUSE_PRICES, "constant")), 200);
    Path cycled = archive(ExampleModel.TWO_ARGS_DICT, "cycled");
    GoldenCase golden = ExampleModel.HOUSE_PRICES.golden("batched");
    GoldenCase cycledGolden = ExampleModel.TWO_ARGS_DICT.golden("unbatched");
    AtomicBoolean cycling = new AtomicBoolean(true);
    AtomicInteger answered = new AtomicInteger();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    Thread invoker = new Thread(() -> {
      while (cycling.get()) {
        try {
          HttpResponse<byte[]> answer = invoke(server, "constant", golden.requestBody());
          if (answer.statusCode() != 200) {
            errors.add(answer.statusCode() + " " + new String(answer.body(), StandardCharsets.UTF_8));
          } else {
            ExampleModel.assertMatchesGolden(decode(answer.body()), golden);
            answered.incrementAndGet();
          }
        } catch (Exception | AssertionError e) {
          errors.add(e.toString());
        }
      }
    }, "invoker");
    invoker.start();
    try {
      for (int cycle = 0; cycle < 50; cycle++) {
        assertStatus(load(server, "cycled", cycled), 200);
        HttpResponse<byte[]> answer = invoke(server, "cycled", cycledGolden.requestBody());
        assertStatus(answer, 200);
        ExampleModel.assertMatchesGolden(decode(answer.body()), cycledGolden);
        assertStatus(send(server, HttpRequest.newBuilder(uri(server, "/models/cycled")).DELETE()), 200);
      }
    } finally {
      cycling.set(false);
      invoker.join();
    }
    assertThat(errors).isEmpty();
    assertThat(answered.get()).isPositive();
  }

  @Test
  void anUnloadAnswersEveryRequestAlreadyStartedAndRefusesLaterOnesWith404() throws Exception {
    assertStatus(load(server, "draining", archive(ExampleModel.LSTM_TWO_INPUTS, "draining")), 200);
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");
    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    AtomicBoolean unloaded = new AtomicBoolean();
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread caller = new Thread(() -> {
        try {
          // keep calling until a 404 follows the unload's answer
          while (true) {
            boolean after = unloaded.get();
            HttpResponse<byte[]> answer = invoke(server, "draining", golden.requestBody());
            statuses.add(answer.statusCode());
            if (answer.statusCode() == 200) {
              ExampleModel.assertMatchesGolden(decode(answer.body()), golden);
            } else if (answer.statusCode() == 404 && after) {
              return;
            } else if (answer.statusCode() != 404) {
              errors.add(answer.statusCode() + " " + new String(answer.body(), StandardCharsets.UTF_8));
            }
          }
        } catch (Exception | AssertionError e) {
          errors.add(e.toString());
        }
      }, "caller-" + i);
      caller.start();
      callers.add(caller);
    }
    Thread.sleep(300);

    assertStatus(send(server, HttpRequest.newBuilder(uri(server, "/models/draining")).DELETE()), 200);
    unloaded.set(true);
    for (Thread caller : callers) {
      caller.join(30_000);
    }

    assertThat(errors).isEmpty();
    assertThat(statuses).contains(200, 404).containsOnly(200, 404);
  }

  @Test
  void twoLoadsOfOneNameAtOnceLoadItOnceAndAnswerTheOther409() throws Exception {
    Path directory = archive(ExampleModel.TOKEN_CLASSIFIER, "raced");
    List<HttpResponse<byte[]>> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> loaders = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread loader = new Thread(() -> {
        try {
          answers.add(load(server, "raced", directory));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      loader.start();
      loaders.add(loader);
    }
    for (Thread loader : loaders) {
      loader.join(60_000);
    }

    assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
    for (GoldenCase golden : ExampleModel.TOKEN_CLASSIFIER.goldenCases()) {
      ExampleModel.assertMatchesGolden(decode(invoke(server, "raced", golden.requestBody()).body()), golden);
    }
  }

  /** A copy of the example's model and golden pairs laid out as SageMaker extracts its model.tar.gz. */
  private static Path archive(ExampleModel example, String name) throws IOException {
    Path directory = Files.createDirectories(models.resolve(name).resolve("model"));
    try (Stream<Path> files = Files.list(example.modelDir())) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, directory.resolve(file.getFileName()));
      }
    }
    Path golden = Files.createDirectories(directory.resolve(GoldenCase.FOLDER));
    try (Stream<Path> files = Files.list(example.goldenDir())) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, golden.resolve(file.getFileName()));
      }
    }
    return directory;
  }

  private static HttpResponse<byte[]> load(SageMakerServer target, String name, Path directory) throws Exception {
    String body = JSON.writeValueAsString(Map.of("model_name", name, "url", directory.toString()));
    return send(target, HttpRequest.newBuilder(uri(target, "/models")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<byte[]> invoke(SageMakerServer target, String name, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(target, "/models/" + name + "/invoke"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(target, request);
  }

  private static HttpResponse<byte[]> post(SageMakerServer target, String path, byte[] body) throws Exception {
    return send(target, HttpRequest.newBuilder(uri(target, path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private static HttpResponse<byte[]> get(SageMakerServer target, String path) throws Exception {
    return send(target, HttpRequest.newBuilder(uri(target, path)).GET());
  }

  private static HttpResponse<byte[]> send(SageMakerServer target, HttpRequest.Builder request) throws Exception {
    return CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static URI uri(SageMakerServer target, String path) {
    return URI.create("http://127.0.0.1:" + target.port() + path);
  }

  private static void assertStatus(HttpResponse<byte[]> response, int status) {
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(status);
  }

  private static JsonNode assertProblem(HttpResponse<byte[]> response, int status, String slug) throws IOException {
    assertStatus(response, status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("type").asString()).isEqualTo(ProblemType.TYPE_BASE + slug);
    return problem;
  }

  private static Map<String, Tensor> decode(byte[] body) throws IOException {
    try {
      return new JsonTensorReader().read(new ByteArrayInputStream(body));
    } catch (TensorFormatException | ContractViolation e) {
      throw new AssertionError("the body is not named tensors: " + new String(body, StandardCharsets.UTF_8), e);
    }
  }
}
