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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.LogUtils;

/**
 * The example's image on this host's CPU: the kernels it runs with, and its refusal to serve numbers that differ
 * from its golden pairs. Holds on AVX2-only and AVX-512 hosts alike.
 */
class CpuNumbersIT {

  private static final String IMAGE = System.getProperty("example.image", "lstm-two-inputs:1.0.0");
  private static final Path GOLDEN = Path.of(System.getProperty("examples.dir", "../examples"),
      "lstm-two-inputs", "golden");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void cappedTheLstmRunsOnAvx2KernelsAndTheStartLogNamesTheCpuAndTheCap() throws Exception {
    ToStringConsumer log = new ToStringConsumer();
    try (SageMakerContainer container = new SageMakerContainer(IMAGE)
        .withEnv("MODEL_CONTRACT_KERNELS", "capped")
        .withEnv("ONEDNN_VERBOSE", "1")
        .withLogConsumer(log)) {
      container.start();
      assertGoldenPairsHold(container.getInvocationsUri());

      String lines = log.toUtf8String();
      assertThat(lines).contains("oneDNN kernels capped at AVX2 (MODEL_CONTRACT_KERNELS=capped);"
          + " 1 OpenMP thread(s) per forward pass")
          .containsPattern("CPU .+ \\[[a-z0-9_ ]*\\]")
          .contains("golden pairs: 3 checks, 0 failed reproduced within 1.0E-5 on this CPU");
      // oneDNN prints the kernel of every primitive it runs: the LSTM must never have taken an AVX-512 one.
      assertThat(lines.lines().filter(line -> line.contains(",exec,cpu,rnn,")))
          .isNotEmpty()
          .allSatisfy(line -> assertThat(line).doesNotContain("avx512"));
    }
  }

  @Test
  void byDefaultTheKernelsThatServeAreTheCappedOnesOrOnesCheckedAgainstThemOnThisHost() throws Exception {
    ToStringConsumer log = new ToStringConsumer();
    try (SageMakerContainer container = new SageMakerContainer(IMAGE)
        .withEnv("ONEDNN_VERBOSE", "1")
        .withLogConsumer(log)) {
      container.start();
      assertGoldenPairsHold(container.getInvocationsUri());
      List<String> kernels = KernelChoiceIT.settledKernels(http, container.getEndpoint());
      assertGoldenPairsHold(container.getInvocationsUri());

      String lines = log.toUtf8String();
      if (kernels.equals(List.of("checked", "ALL"))) {
        assertThat(lines).contains("oneDNN kernels up to ALL (checked on this host: 3 golden pairs and");
        return;
      }
      assertThat(kernels.get(0)).isIn("differed", "no-wider-kernels");
      assertThat(kernels.get(1)).isEqualTo("AVX2");
      // capped from the start, the LSTM never runs an AVX-512 kernel (the check's own process prints none here)
      assertThat(lines.lines().filter(line -> line.contains(",exec,cpu,rnn,")))
          .isNotEmpty()
          .allSatisfy(line -> assertThat(line).doesNotContain("avx512"));
    }
  }

  @Test
  void imageWhoseGoldenPairIsWrongExitsWithCode3AndLogsThePairInsteadOfServing() throws Exception {
    String batched = Files.readString(GOLDEN.resolve("batched.json"));
    String tampered = batched.replaceFirst("(?<head>\"output_1\"\\s*:\\s*\\[\\s*\\[?\\s*)-?[0-9.eE+-]+",
        "${head}1000.5");
    assertThat(tampered).isNotEqualTo(batched);
    ImageFromDockerfile wrongGolden = new ImageFromDockerfile("model-contract-it/wrong-golden", true)
        .withFileFromString("batched.json", tampered)
        .withDockerfileFromBuilder(dockerfile -> dockerfile.from(IMAGE)
            .copy("batched.json", "/opt/ml/model/golden/batched.json")
            .build());
    DockerClient docker = DockerClientFactory.instance().client();
    String id = docker.createContainerCmd(wrongGolden.get()).withCmd("serve").exec().getId();
    try {
      docker.startContainerCmd(id).exec();
      int exitCode = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
          .awaitStatusCode(60, TimeUnit.SECONDS);

      assertThat(exitCode).isEqualTo(3);
      assertThat(LogUtils.getOutput(docker, id))
          .contains("golden pair differs on this CPU: golden batched (three sequences of 12 steps): output"
              + " 'output_1': 1 of 3 values differ beyond tolerance 1.0e-05; first at flat index 0: expected 1000.5")
          .contains("PASS golden single-step")
          .contains("3 checks, 1 failed")
          .doesNotContain("Exception");
    } finally {
      docker.removeContainerCmd(id).withForce(true).exec();
    }
  }

  @Test
  void liftingTheCapNeverServesNumbersThatDifferFromTheGoldenPairs() throws Exception {
    ToStringConsumer log = new ToStringConsumer();
    try (SageMakerContainer container = new SageMakerContainer(IMAGE)
        .withEnv("ONEDNN_MAX_CPU_ISA", "ALL")
        .withLogConsumer(log)) {
      try {
        container.start();
      } catch (ContainerLaunchException e) {
        // A host whose fastest kernels are wrong: the container stops, naming the pairs, instead of serving.
        assertThat(log.toUtf8String()).contains("golden pair differs on this CPU");
        return;
      }
      assertThat(log.toUtf8String()).contains("oneDNN kernels up to ALL (ONEDNN_MAX_CPU_ISA set in the environment)");
      assertGoldenPairsHold(container.getInvocationsUri());
    }
  }

  private void assertGoldenPairsHold(URI invocations) throws Exception {
    assertGoldenPairsHold(http, invocations, GOLDEN);
  }

  /** Every golden pair of the folder, sent to the server, is answered 200 with its response within the tolerance. */
  static void assertGoldenPairsHold(HttpClient http, URI invocations, Path goldenFolder) throws Exception {
    for (GoldenCase golden : GoldenCase.loadAll(goldenFolder)) {
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(invocations)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(golden.requestBody())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).as(golden.name()).isEqualTo(200);
      assertThat(TensorComparison.differences(golden.response(),
          new JsonTensorReader().read(new ByteArrayInputStream(response.body())), GoldenReplay.DEFAULT_TOLERANCE))
          .as(golden.name()).isEmpty();
    }
  }
}
