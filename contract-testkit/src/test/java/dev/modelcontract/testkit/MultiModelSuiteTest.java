package dev.modelcontract.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.server.ModelBudget;
import dev.modelcontract.server.SageMakerServer;
import dev.modelcontract.server.ServerConfig;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.Check;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-model suite against the runtime's own multi-model endpoint in process, the examples' models laid out as
 * SageMaker extracts their model.tar.gz ({@code NAME/model} holding the contract, the TorchScript file and golden/):
 * what {@code verify} runs in a multi-model image, without Docker.
 */
class MultiModelSuiteTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));

  @TempDir
  static Path models;

  private static SageMakerServer server;

  @BeforeAll
  static void start() throws IOException {
    server = endpoint(1L << 30);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void threeExampleModelsOnOneEndpointPassEveryCheckAndAreUnloadedAfterwards() throws Exception {
    MultiModelSuite suite = MultiModelSuite.of(List.of(model("house-prices", "three-houses"),
        model("two-args-dict", "three-dict"), model("lstm-two-inputs", "three-lstm")));
    MultiModelClient client = new MultiModelClient(endpoint(server));

    List<Check> checks = suite.run(client);

    assertThat(checks).filteredOn(check -> !check.passed()).isEmpty();
    assertThat(checks).extracting(Check::name).contains(
        "three-houses: loads (POST /models)",
        "three-houses: a second load of its name is refused 409",
        "three-houses: GET /models/three-houses describes it",
        "GET /models lists every model loaded",
        "three-lstm: unloaded, POST /models/three-lstm/invoke is 404",
        "three-lstm: unloaded, GET /models/three-lstm is 404",
        "three-dict: loads again",
        "three-dict: unloads at the end");
    assertThat(checks).extracting(Check::name).anyMatch(name -> name.startsWith(
        "three-dict: after the reload, golden unbatched ("));
    // skew through the invoke route: refused where the contract guards it, and on /metrics under the model's name
    assertThat(checks).extracting(Check::name).contains(
        "three-lstm: skew: features-swapped input_2 refused 422 input-skew",
        "three-houses: skew: scaled features refused 422 input-skew");
    assertThat(checks).filteredOn(check -> check.name().equals("three-dict: skew: scaled prices shows on GET /metrics"))
        .extracting(Check::detail).singleElement().asString().contains("GET /metrics, model 'three-dict', over the"
            + " burst's 320 values of ");
    for (MultiModelSuite.Model model : suite.models()) {
      assertThat(checks).as("every case of %s's suite, through its invoke route", model.name())
          .filteredOn(check -> check.name().startsWith(model.name() + ": refuses ")).hasSize((int) model.suite()
              .cases().stream().filter(suiteCase -> suiteCase.kind() == ConformanceSuite.Kind.REFUSAL).count());
    }
    assertThat(checks).filteredOn(check -> check.name().equals("three-houses: loads (POST /models)"))
        .extracting(Check::detail).singleElement().asString().matches("200 after \\d+\\.\\d\\d s");
    assertThat(checks).filteredOn(check -> check.name().equals("GET /models lists every model loaded"))
        .extracting(Check::detail).singleElement().asString()
        .contains("three-houses at " + models.resolve("three-houses/model"));
    assertThat(client.list().text()).doesNotContain("three-");
    String report = new VerificationReport("multi-model endpoint", Duration.ZERO, checks).render();
    assertThat(report).contains("  PASS three-houses: loads (POST /models): 200 after ")
        .endsWith(checks.size() + " checks, 0 failed\n");
  }

  @Test
  void withABudgetHoldingOneCopyASecondCopyIsRefused507AndLoadsOnceTheFirstIsUnloaded() throws Exception {
    MultiModelSuite.Model houses = model("house-prices", "budgeted");
    long oneCopy = MultiModelSuite.budgetFor(List.of(Path.of(houses.url())));
    try (SageMakerServer small = endpoint(oneCopy)) {
      List<Check> checks = MultiModelSuite.of(List.of(houses)).withBudget(oneCopy)
          .run(new MultiModelClient(endpoint(small)));

      assertThat(checks).filteredOn(check -> !check.passed()).isEmpty();
      assertThat(checks).extracting(Check::name).contains(
          "budgeted-copy: a second copy of budgeted is refused 507 while the budget of " + oneCopy
              + " bytes holds every model once",
          "budgeted-copy: loads once budgeted is unloaded",
          "budgeted-copy: unloads at the end");
    }
  }

  @Test
  void aBudgetThatHoldsTwoCopiesFailsThe507CheckInTheReport() throws Exception {
    MultiModelSuite.Model houses = model("house-prices", "roomy");
    long oneCopy = MultiModelSuite.budgetFor(List.of(Path.of(houses.url())));
    try (SageMakerServer roomy = endpoint(2 * oneCopy)) {
      List<Check> checks = MultiModelSuite.of(List.of(houses)).withBudget(oneCopy)
          .run(new MultiModelClient(endpoint(roomy)));

      assertThat(checks).filteredOn(check -> !check.passed()).extracting(Check::name).containsExactly(
          "roomy-copy: a second copy of roomy is refused 507 while the budget of " + oneCopy
              + " bytes holds every model once",
          "roomy-copy: loads once roomy is unloaded");
      assertThat(checks).filteredOn(check -> !check.passed()).extracting(Check::detail).first().asString()
          .startsWith("status 200, expected 507");
      assertThat(checks).extracting(Check::name).contains("roomy-copy: unloads at the end");
    }
  }

  @Test
  void aModelThatCannotLoadIsReportedOnceWhileTheOthersAreChecked() throws Exception {
    MultiModelSuite.Model broken = model("house-prices", "broken");
    Path contract = Path.of(broken.url()).resolve(ContractReader.FILE_NAME);
    Files.writeString(contract, Files.readString(contract).replaceFirst("dtype: float32", "dtype: float33"));
    MultiModelSuite suite = MultiModelSuite.of(List.of(broken, model("two-args-dict", "beside-broken")));

    List<Check> checks = suite.run(new MultiModelClient(endpoint(server)));

    assertThat(checks).filteredOn(check -> !check.passed()).singleElement().satisfies(check -> {
      assertThat(check.name()).isEqualTo("broken: loads (POST /models)");
      assertThat(check.detail()).startsWith("status 422, expected 200").contains("model-not-loadable")
          .contains("/inputs/0/dtype");
    });
    assertThat(checks).extracting(Check::name).noneMatch(name -> name.startsWith("broken: ") && !name.equals(
        "broken: loads (POST /models)"));
    assertThat(checks).extracting(Check::name).anyMatch(name -> name.startsWith(
        "beside-broken: after the reload, golden batched ("));
  }

  @Test
  void anAnswerOtherThanTheGoldenResponseFailsItsChecksThroughTheInvokeRoute() throws Exception {
    MultiModelSuite.Model served = model("house-prices", "misremembered");
    Path expected = Files.createDirectories(models.resolve("misremembered-expected"));
    Path pair = Files.copy(EXAMPLES.resolve("house-prices/golden/unbatched.json"), expected.resolve("unbatched.json"));
    Files.writeString(pair, Files.readString(pair).replace("\"price\": [472.", "\"price\": [572."));
    MultiModelSuite.Model misremembered = new MultiModelSuite.Model(served.name(), served.url(),
        served.suite().withGolden(GoldenCase.loadAll(expected)));

    List<Check> checks = MultiModelSuite.of(List.of(misremembered)).run(new MultiModelClient(endpoint(server)));

    assertThat(checks).filteredOn(check -> !check.passed()).extracting(Check::name).containsExactly(
        "misremembered: golden unbatched (one house, sent without the batch axis)",
        "misremembered: still serving after the refused requests: unbatched",
        "misremembered: after the reload, golden unbatched (one house, sent without the batch axis)");
    assertThat(checks).filteredOn(check -> !check.passed()).extracting(Check::detail).first().asString()
        .contains("output 'price'").contains("572.46").contains("472.46");
  }

  @Test
  void anEndpointThatDoesNotAnswerFailsTheLoadsWithoutThrowing() throws Exception {
    URI closed;
    try (SageMakerServer gone = endpoint(1L << 20)) {
      closed = endpoint(gone);
    }

    List<Check> checks = MultiModelSuite.of(List.of(model("house-prices", "nowhere")))
        .run(new MultiModelClient(closed));

    assertThat(checks).extracting(Check::name).containsExactly("nowhere: loads (POST /models)",
        "GET /models lists every model loaded");
    assertThat(checks).allSatisfy(check -> {
      assertThat(check.passed()).isFalse();
      assertThat(check.detail()).startsWith("the request failed: ").contains(closed.resolve("/models").toString());
    });
  }

  @Test
  void aNameThatNeedsEncodingIsReachedThroughItsOwnPathSegment() throws Exception {
    MultiModelSuite.Model houses = model("house-prices", "odd-name");
    MultiModelClient client = new MultiModelClient(endpoint(server));
    String name = "house prices+1";
    assertThat(client.load(name, houses.url()).status()).isEqualTo(200);
    try {
      ContractClient invoke = ContractClient.onMultiModelEndpoint(endpoint(server), houses.suite().contract(), name);

      Map<String, Tensor> outputs = invoke.request().with("features", new float[] {4.6f, 139.7f, 0.27f, 0.42f, 1.87f,
          0}).invoke();

      assertThat(invoke.invocations()).hasToString(endpoint(server) + "/models/house%20prices%2B1/invoke");
      assertThat(outputs).containsOnlyKeys("price");
      assertThat(client.describe(name).tree().get("modelName").asString()).isEqualTo(name);
    } finally {
      assertThat(client.unload(name).status()).isEqualTo(200);
    }
  }

  /** An example repo's model and golden pairs laid out as SageMaker extracts its archive, under a name. */
  private static MultiModelSuite.Model model(String example, String name) throws Exception {
    Path repo = EXAMPLES.resolve(example);
    Path directory = MultiModelContainer.modelDirectory(models, name);
    copy(repo.resolve("model"), Files.createDirectories(directory));
    copy(repo.resolve(GoldenCase.FOLDER), Files.createDirectories(directory.resolve(GoldenCase.FOLDER)));
    ConformanceSuite suite = ConformanceSuite.of(new ContractReader().read(directory.resolve(
        ContractReader.FILE_NAME))).withGolden(GoldenCase.loadAll(directory.resolve(GoldenCase.FOLDER))).withSeed(1);
    return new MultiModelSuite.Model(name, directory.toString(), suite);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }

  private static SageMakerServer endpoint(long budget) throws IOException {
    return SageMakerServer.startMultiModel(ServerConfig.fromEnvironment(Map.of()).withPort(0),
        InetAddress.getLoopbackAddress(), new ModelBudget(budget));
  }

  private static URI endpoint(SageMakerServer running) {
    return URI.create("http://127.0.0.1:" + running.port());
  }
}
