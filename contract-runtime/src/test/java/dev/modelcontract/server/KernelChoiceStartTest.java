package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.inference.CpuKernels;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.JsonTensorReader;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's main started as the image starts it, choosing its kernels: a disagreement forced on any host ends on
 * the capped kernels in the same process (its id unchanged), serving the golden numbers; the setting that keeps the
 * cap skips the check.
 */
class KernelChoiceStartTest {

  private static final ExampleModel EXAMPLE = ExampleModel.TWO_ARGS_DICT;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private record Started(Process process, int port, Path log) {

    String metrics() throws Exception {
      return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }

    String logText() throws Exception {
      return Files.readString(log);
    }
  }

  private static Started start(Path folder, List<String> jvmOptions, Map<String, String> environment)
      throws Exception {
    int port = ServerProcesses.freePort();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve"));
    Path log = folder.resolve("server.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().put("MODEL_CONTRACT_MODEL_DIR", EXAMPLE.modelDir().toString());
    builder.environment().put("MODEL_CONTRACT_GOLDEN_DIR", EXAMPLE.goldenDir().toString());
    builder.environment().put("SAGEMAKER_BIND_TO_PORT", Integer.toString(port));
    builder.environment().remove("ONEDNN_MAX_CPU_ISA");
    builder.environment().putAll(environment);
    Process process = builder.start();
    int status = ServerProcesses.awaitOk(process, URI.create("http://127.0.0.1:" + port + "/ping"));
    assertThat(status).as("ready; the log:\n%s", Files.readString(log)).isEqualTo(200);
    return new Started(process, port, log);
  }

  private static void stop(Started started) throws Exception {
    started.process().destroy();
    started.process().waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  void aForcedDisagreementEndsOnTheCapInTheSameProcessServingTheGoldenNumbers(@TempDir Path folder)
      throws Exception {
    Started started = start(folder, List.of("-D" + CpuKernels.INJECTED_DIFFERENCE_PROPERTY + "=1e-3"), Map.of());
    try {
      long pid = started.process().pid();
      assertThat(started.metrics()).contains("modelcontract_cpu_kernels_info{basis=\"differed\",onednn_max_isa=\"AVX2\"}"
          + " 1");
      String log = started.logText();
      assertThat(log).contains("oneDNN kernels up to ALL (until the check on this host says whether they give the"
          + " capped kernels' numbers)");
      assertThat(log).containsPattern("oneDNN's uncapped kernels are not kept on this host: (\\d+ of \\d+ golden pairs"
          + " differ with them|\\d+ of \\d+ requests drawn from the contract \\(batch 1\u201332, T 2\u2013128\\) differ"
          + " beyond 1.0E-5), .*; restarting with them capped at AVX2");
      assertThat(log).contains("oneDNN kernels capped at AVX2 (the uncapped kernels' numbers differed on this host:");
      assertThat(log).contains("golden pairs: 3 checks, 0 failed reproduced within 1.0E-5 on this CPU");
      for (GoldenCase pair : GoldenCase.loadAll(EXAMPLE.goldenDir())) {
        HttpResponse<byte[]> answer = CLIENT.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + started.port() + "/invocations")).header("Content-Type",
            "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(pair.requestBody())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(TensorComparison.differences(pair.response(),
            new JsonTensorReader().read(new ByteArrayInputStream(answer.body())), ExampleModel.TOLERANCE)).isEmpty();
      }
      assertThat(started.process().isAlive()).isTrue();
      assertThat(started.process().pid()).isEqualTo(pid);
    } finally {
      stop(started);
    }
  }

  @Test
  void theCappedSettingSkipsTheCheck(@TempDir Path folder) throws Exception {
    Started started = start(folder, List.of(), Map.of("MODEL_CONTRACT_KERNELS", "capped"));
    try {
      assertThat(started.metrics()).contains(
          "modelcontract_cpu_kernels_info{basis=\"capped-by-setting\",onednn_max_isa=\"AVX2\"} 1");
      assertThat(started.logText()).doesNotContain("until the check").doesNotContain("restarting");
    } finally {
      stop(started);
    }
  }
}
