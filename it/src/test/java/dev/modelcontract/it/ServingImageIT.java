package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.testkit.SageMakerContainer;
import dev.modelcontract.validation.GoldenReplay;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import tools.jackson.databind.json.JsonMapper;

/**
 * Properties of the example's serving image (built by the invoker run of examples/lstm-two-inputs) that the
 * plugin's verify goal does not check: how it runs, what it contains, how it holds up.
 */
class ServingImageIT {

  private static final String IMAGE = System.getProperty("example.image", "lstm-two-inputs:1.0.0");
  private static final Path EXAMPLE = Path.of(System.getProperty("examples.dir", "../examples"), "lstm-two-inputs");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void runsAsRootAsSageMakerExpectsAndServesFromAReadOnlyRootFileSystemAsRootAndAsAnyOtherUser() throws Exception {
    for (String user : new String[] {null, "65534:65534"}) {
      try (SageMakerContainer container = new SageMakerContainer(IMAGE)
          .withCreateContainerCmdModifier(cmd -> {
            cmd.getHostConfig().withReadonlyRootfs(true).withTmpFs(Map.of("/tmp", "rw,size=64m"));
            if (user != null) {
              cmd.withUser(user); // as Kubernetes' securityContext.runAsUser would
            }
          })) {
        container.start();

        assertGoldenPairsHold(container.getInvocationsUri());
        assertThat(ImageShell.serverStatus(container, "Uid")).as("the server's uid, as user %s", user)
            .isEqualTo(user == null ? "0" : "65534");
      }
    }
  }

  @Test
  void startsFromTheClassDataSharingArchiveItsBuildRecorded() throws Exception {
    // -Xshare:on makes a JVM that cannot map its archives fail to start, instead of quietly loading every class
    try (SageMakerContainer container = new SageMakerContainer(IMAGE).withEnv("JAVA_OPTS", "-Xshare:on")) {
      container.start();

      assertGoldenPairsHold(container.getInvocationsUri());
      assertThat(ImageShell.run(container, "[ -s /opt/model-contract/classes.jsa ] && echo recorded"))
          .isEqualTo("recorded");
    }
  }

  @Test
  void answersABatchTransformStyleJsonLinesFileOfAThousandLinesLineForLine() throws Exception {
    List<GoldenCase> golden = GoldenCase.loadAll(EXAMPLE.resolve("golden"));
    JsonMapper json = JsonMapper.builder().build();
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      file.append(json.writeValueAsString(json.readTree(golden.get(i % golden.size()).requestBody()))).append('\n');
    }
    try (SageMakerContainer container = new SageMakerContainer(IMAGE)) {
      container.start();

      HttpResponse<String> response = http.send(HttpRequest.newBuilder(container.getInvocationsUri())
          .header("Content-Type", "application/jsonlines")
          .POST(HttpRequest.BodyPublishers.ofString(file.toString())).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/jsonlines");
      List<String> lines = response.body().lines().toList();
      assertThat(lines).hasSize(1000);
      JsonTensorReader reader = new JsonTensorReader();
      for (int i = 0; i < lines.size(); i++) {
        GoldenCase pair = golden.get(i % golden.size());
        assertThat(TensorComparison.differences(pair.response(),
            reader.read(new ByteArrayInputStream(lines.get(i).getBytes(StandardCharsets.UTF_8))),
            GoldenReplay.DEFAULT_TOLERANCE)).as("line %d (%s)", i + 1, pair.name()).isEmpty();
      }
    }
  }

  @Test
  void listensOnSageMakerBindToPort() throws Exception {
    try (GenericContainer<?> container = new GenericContainer<>(IMAGE)
        .withCommand("serve")
        .withEnv("SAGEMAKER_BIND_TO_PORT", "9090")
        .withExposedPorts(9090)
        .waitingFor(Wait.forHttp("/ping").forStatusCode(200))) {
      container.start();

      HttpResponse<String> ping = http.send(HttpRequest.newBuilder(
          URI.create("http://" + container.getHost() + ":" + container.getMappedPort(9090) + "/ping")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ping.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void imageHoldsTheExtractedLibtorchInsteadOfItsJarAndLabelsTheContract() throws Exception {
    try (SageMakerContainer container = new SageMakerContainer(IMAGE)) {
      container.start();

      String jars = ImageShell.run(container, "echo /opt/model-contract/lib/*");
      assertThat(jars).contains("contract-runtime-").contains("pytorch-engine-").doesNotContain("pytorch-native");
      assertThat(ImageShell.run(container, "echo /opt/model-contract/libtorch/*")).contains("libtorch_cpu.so");
      assertThat(ImageShell.run(container, "echo /opt/ml/model/*"))
          .contains("model-contract.yaml").contains("model.pt");
    }
    Map<String, String> labels = DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec()
        .getConfig().getLabels();
    assertThat(labels).containsEntry("dev.modelcontract.contract.sha256",
        sha256(EXAMPLE.resolve("model/model-contract.yaml")));
    assertThat(labels).containsEntry("dev.modelcontract.model.sha256", sha256(EXAMPLE.resolve("model/model.pt")));
  }

  @Test
  void keepsServingEveryRequestUnderConcurrentLoadMixedWithBadRequests() throws Exception {
    try (SageMakerContainer container = new SageMakerContainer(IMAGE)) {
      container.start();
      URI invocations = container.getInvocationsUri();
      GoldenCase golden = GoldenCase.loadAll(EXAMPLE.resolve("golden")).get(0);
      byte[] bad = "{\"input_1\": [[1, 2, 3]]}".getBytes();

      ExecutorService clients = Executors.newFixedThreadPool(8);
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        byte[] body = i % 2 == 0 ? golden.requestBody() : bad;
        statuses.add(clients.submit(() -> post(invocations, body).statusCode()));
      }
      clients.shutdown();
      int ok = 0;
      int refused = 0;
      for (Future<Integer> status : statuses) {
        int code = status.get();
        ok += code == 200 ? 1 : 0;
        refused += code == 422 ? 1 : 0;
      }

      assertThat(ok).isEqualTo(200);
      assertThat(refused).isEqualTo(200);
      assertGoldenPairsHold(invocations);
    }
  }

  @Test
  void exitsWithTheContractProblemWhenTheModelDirectoryHasNoContract() {
    ToStringConsumer log = new ToStringConsumer();
    try (GenericContainer<?> container = new GenericContainer<>(IMAGE)
        .withCommand("serve")
        .withEnv("MODEL_CONTRACT_MODEL_DIR", "/tmp")
        .withLogConsumer(log)
        .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
      assertThatThrownBy(container::start).as("a container that exits non-zero fails its start");
      assertThat(log.toUtf8String())
          .contains("/tmp/model-contract.yaml")
          .contains("the file does not exist")
          .doesNotContain("Exception");
    }
  }

  @Test
  void isUnderFiveHundredMegabytesWithNoShellToolsOrPackageManagerAndHoldsTheSbomTheBuildAttached() throws Exception {
    long size = DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec().getSize();
    assertThat(size).as("image size").isLessThan(500_000_000L);
    try (SageMakerContainer container = new SageMakerContainer(IMAGE)) {
      container.start();

      assertThat(ImageShell.run(container,
          "for tool in ls cat id bash apt-get dpkg; do command -v $tool; done; echo end"))
          .as("what the entrypoint does not need").isEqualTo("end");
      Path sbom = Files.createTempFile("sbom", ".json");
      try {
        container.copyFileFromContainer("/opt/model-contract/sbom.cdx.json", sbom.toString());
        assertThat(sbom).hasSameBinaryContentAs(ModelArchiveIT.EXAMPLE_BUILD.resolve("sbom.cdx.json"));
        String text = Files.readString(sbom);
        assertThat(text).contains("\"bomFormat\" : \"CycloneDX\"")
            .contains("pkg:maven/ai.djl.pytorch/pytorch-native-cpu@").contains("pkg:deb/debian/libc6@")
            .contains("\"machine-learning-model\"");
      } finally {
        Files.delete(sbom);
      }
    }
  }

  private void assertGoldenPairsHold(URI invocations) throws Exception {
    for (GoldenCase golden : GoldenCase.loadAll(EXAMPLE.resolve("golden"))) {
      HttpResponse<byte[]> response = post(invocations, golden.requestBody());
      assertThat(response.statusCode()).as(golden.name()).isEqualTo(200);
      assertThat(TensorComparison.differences(golden.response(),
          new JsonTensorReader().read(new ByteArrayInputStream(response.body())), GoldenReplay.DEFAULT_TOLERANCE))
          .as(golden.name()).isEmpty();
    }
  }

  private HttpResponse<byte[]> post(URI uri, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
