package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import dev.modelcontract.testkit.SageMakerContainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.utility.LogUtils;

/**
 * The serving image choosing its oneDNN kernels on this host (docs/configuration.md, MODEL_CONTRACT_KERNELS): a
 * disagreement forced on any CPU ends on the cap in the container's own process, which then serves the golden
 * numbers and still drains on SIGTERM; the choice is the same on every start.
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
    String id;
    try (SageMakerContainer container = new SageMakerContainer(IMAGE)
        .withEnv("JAVA_OPTS", "-Dmodelcontract.kernels.injectedDifference=1e-3")) {
      container.start();
      id = container.getContainerId();

      assertThat(kernels(container.getEndpoint())).containsExactly("differed", "AVX2");
      CpuNumbersIT.assertGoldenPairsHold(http, container.getInvocationsUri(), EXAMPLES.resolve("lstm-two-inputs/golden"));
      String log = LogUtils.getOutput(docker, id);
      assertThat(log).contains("oneDNN kernels up to ALL (until the check on this host says whether they give the"
          + " capped kernels' numbers)")
          .containsPattern("oneDNN's uncapped kernels are not kept on this host: .+; restarting with them capped at"
              + " AVX2")
          .contains("oneDNN kernels capped at AVX2 (the uncapped kernels' numbers differed on this host: ")
          .contains("golden pairs: 3 checks, 0 failed reproduced within 1.0E-5 on this CPU");

      // the restarted server is still the container's first process: SageMaker's SIGTERM reaches it
      docker.stopContainerCmd(id).withTimeout(20).exec();
      int exit = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
          .awaitStatusCode(30, TimeUnit.SECONDS);
      assertThat(exit).isZero();
      assertThat(LogUtils.getOutput(docker, id)).contains("every request read was answered");
    }
  }

  @Test
  void theChoiceIsTheSameOnEveryStart() throws Exception {
    List<String> verdicts = new ArrayList<>();
    for (int start = 0; start < 2; start++) {
      ToStringConsumer log = new ToStringConsumer();
      try (SageMakerContainer container = new SageMakerContainer(IMAGE).withLogConsumer(log)) {
        container.start();
        List<String> kernels = kernels(container.getEndpoint());
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
      List<String> kernels = kernels(container.getEndpoint());
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

  /** What the log says of the kernels that serve, the check's duration left out. */
  private static String reason(String log) {
    Matcher served = Pattern.compile("oneDNN kernels (capped at|up to) [A-Z0-9_]+ \\((?!until the check)([^\n]*)")
        .matcher(log);
    String last = "";
    while (served.find()) {
      last = served.group();
    }
    return last.replaceAll("in \\d+ ms", "");
  }

  private List<String> kernels(URI endpoint) throws Exception {
    String metrics = http.send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher matcher = KERNELS.matcher(metrics);
    assertThat(matcher.find()).as(metrics).isTrue();
    return List.of(matcher.group(1), matcher.group(2));
  }
}
