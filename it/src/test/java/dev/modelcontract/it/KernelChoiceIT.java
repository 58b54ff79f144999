package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.testkit.SageMakerContainer;
import dev.modelcontract.validation.GoldenReplay;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.utility.LogUtils;

/**
 * The serving image choosing its oneDNN kernels on this host (docs/configuration.md, MODEL_CONTRACT_KERNELS): it
 * serves capped at once; a disagreement forced on any CPU leaves it capped; an agreement forced on any CPU hands the
 * port to the container's process restarted with the tried kernels while clients keep sending, none refused and
 * every answer the golden one, and that process still drains on SIGTERM; the choice is the same on every start.
 */
class KernelChoiceIT {

  private static final String IMAGE = System.getProperty("example.image", "lstm-two-inputs:1.0.0");
  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
  private static final Pattern KERNELS = Pattern.compile(
      "modelcontract_cpu_kernels_info\\{basis=\"([a-z-]+)\",onednn_max_isa=\"([A-Z0-9_]+)\"} 1");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aForcedDisagreementEndsOnTheCapInTheContainersOwnProcessWhichServesAndDrains() throws Exception {
    DockerClient docker = DockerClientFactory.instance().client();
    // the check tries the cap itself, whose numbers differ from the served ones by the injected difference alone
    try (SageMakerContainer container = new SageMakerContainer(IMAGE)
        .withEnv("JAVA_OPTS", "-Dmodelcontract.kernels.injectedDifference=1e-3 -Dmodelcontract.kernels.triedIsa=AVX2")) {
      container.start();
      String id = container.getContainerId();

      assertThat(settledKernels(http, container.getEndpoint())).containsExactly("differed", "AVX2");
      CpuNumbersIT.assertGoldenPairsHold(http, container.getInvocationsUri(), EXAMPLES.resolve("lstm-two-inputs/golden"));
      String log = LogUtils.getOutput(docker, id);
      assertThat(log).contains("oneDNN kernels capped at AVX2 (while the check on this host says whether the uncapped"
          + " kernels give the same numbers)")
          .containsPattern("oneDNN's uncapped kernels are not kept on this host: \\d+ of \\d+ requests drawn from the"
              + " contract .+; serving on with them capped at AVX2")
          .contains("oneDNN kernels capped at AVX2 (the uncapped kernels' numbers differed on this host: ")
          .contains("golden pairs: 3 checks, 0 failed reproduced within 1.0E-5 on this CPU")
          .doesNotContain("handing the port");

      assertStopDrains(docker, id);
    }
  }

  @Test
  void aForcedAgreementHandsThePortOverWhileClientsSendAndTheProcessThatTookItOverDrains() throws Exception {
    DockerClient docker = DockerClientFactory.instance().client();
    List<GoldenCase> pairs = GoldenCase.loadAll(EXAMPLES.resolve("lstm-two-inputs/golden"));
    AtomicBoolean sending = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(2);
    try (SageMakerContainer container = new SageMakerContainer(IMAGE)
        .withEnv("JAVA_OPTS", "-Dmodelcontract.kernels.triedIsa=AVX2")) {
      container.start();
      String id = container.getContainerId();
      URI invocations = container.getInvocationsUri();
      // two clients send the golden requests without pause from the first /ping 200 until the check has settled
      List<Future<long[]>> sent = new ArrayList<>();
      for (int client = 0; client < 2; client++) {
        sent.add(clients.submit(() -> {
          long answered = 0;
          long slowest = 0;
          while (sending.get()) {
            GoldenCase pair = pairs.get((int) (answered % pairs.size()));
            long started = System.nanoTime();
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(invocations)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(pair.requestBody())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
            slowest = Math.max(slowest, System.nanoTime() - started);
            assertThat(response.statusCode()).as(pair.name()).isEqualTo(200);
            assertThat(TensorComparison.differences(pair.response(), new JsonTensorReader().read(
                new ByteArrayInputStream(response.body())), GoldenReplay.DEFAULT_TOLERANCE)).as(pair.name()).isEmpty();
            answered++;
          }
          return new long[] {answered, slowest};
        }));
      }
      List<String> kernels = settledKernels(http, container.getEndpoint());
      Thread.sleep(300);
      sending.set(false);
      long answered = 0;
      long slowest = 0;
      for (Future<long[]> client : sent) {
        long[] result = client.get(60, TimeUnit.SECONDS);
        answered += result[0];
        slowest = Math.max(slowest, result[1]);
      }
      System.out.printf("hand-over under load: %d requests answered, the slowest in %d ms%n", answered,
          TimeUnit.NANOSECONDS.toMillis(slowest));

      assertThat(kernels).containsExactly("checked", "AVX2");
      assertThat(answered).isGreaterThan(20);
      assertThat(LogUtils.getOutput(docker, id))
          .contains("handing the port to this process restarted with them")
          .contains("took over the listening socket of port 8080")
          .contains("oneDNN kernels up to AVX2 (checked on this host: 3 golden pairs and");

      // the process that took the port over is still the container's first process: SageMaker's SIGTERM reaches it
      assertStopDrains(docker, id);
    } finally {
      sending.set(false);
      clients.shutdownNow();
    }
  }

  @Test
  void theChoiceIsTheSameOnEveryStart() throws Exception {
    List<String> verdicts = new ArrayList<>();
    for (int start = 0; start < 2; start++) {
      ToStringConsumer log = new ToStringConsumer();
      try (SageMakerContainer container = new SageMakerContainer(IMAGE).withLogConsumer(log)) {
        container.start();
        List<String> kernels = settledKernels(http, container.getEndpoint());
        verdicts.add(kernels + " " + reason(log.toUtf8String()));
        CpuNumbersIT.assertGoldenPairsHold(http, container.getInvocationsUri(), EXAMPLES.resolve("lstm-two-inputs/golden"));
      }
    }
    assertThat(verdicts.get(1)).isEqualTo(verdicts.get(0));
  }

  @Test
  void theLargeModelIsCheckedOverEveryBatchTheServerFormsAndItsWholeSequenceRange() throws Exception {
    ToStringConsumer log = new ToStringConsumer();
    try (SageMakerContainer container = new SageMakerContainer("large-lstm:1.0.0").withLogConsumer(log)) {
      container.start();
      List<String> kernels = settledKernels(http, container.getEndpoint());
      CpuNumbersIT.assertGoldenPairsHold(http, container.getInvocationsUri(), EXAMPLES.resolve("large-lstm/golden"));

      String served = reason(log.toUtf8String());
      switch (kernels.get(0)) {
        case "checked" -> assertThat(served).contains("oneDNN kernels up to ALL (checked on this host: 3 golden pairs"
            + " and 14 requests drawn from the contract (batch 1\u201332, T 50\u2013200) gave the capped kernels'"
            + " numbers within 1.0E-5");
        case "differed" -> assertThat(served).contains("capped at AVX2 (the uncapped kernels' numbers differed on"
            + " this host: ");
        default -> assertThat(kernels).containsExactly("no-wider-kernels", "AVX2");
      }
    }
  }

  /** {@code docker stop} (SIGTERM) ends the container with exit 0 once every request read was answered. */
  private static void assertStopDrains(DockerClient docker, String id) {
    docker.stopContainerCmd(id).withTimeout(20).exec();
    int exit = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
        .awaitStatusCode(30, TimeUnit.SECONDS);
    assertThat(exit).isZero();
    assertThat(LogUtils.getOutput(docker, id)).contains("every request read was answered");
  }

  /** What the log says of the kernels that serve, the check's duration left out. */
  private static String reason(String log) {
    Matcher served = Pattern.compile("oneDNN kernels (capped at|up to) [A-Z0-9_]+ \\((?!while the check)([^\n]*)")
        .matcher(log);
    String last = "";
    while (served.find()) {
      last = served.group();
    }
    return last.replaceAll("in \\d+ ms", "");
  }

  /**
   * The kernels that serve once the check has settled, as /metrics names them: basis and cap. The check runs once
   * the server serves, so this polls until the basis is no longer {@code checking}.
   */
  static List<String> settledKernels(HttpClient http, URI endpoint) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String metrics = "";
    while (System.nanoTime() < deadline) {
      try {
        metrics = http.send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
      } catch (IOException e) {
        metrics = e.toString();
      }
      Matcher matcher = KERNELS.matcher(metrics);
      if (matcher.find() && !matcher.group(1).equals("checking")) {
        return List.of(matcher.group(1), matcher.group(2));
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the kernel check did not settle in 120 s: " + metrics);
  }
}
