package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.inference.CpuKernels;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.JsonTensorReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's main started as the image starts it, choosing its kernels: it serves capped at once; a disagreement
 * forced on any host leaves it capped; an agreement forced on any host (the check trying the cap itself) hands the
 * port to the process restarted with the tried kernels, its id unchanged, while requests keep coming: every one is
 * answered with the golden numbers; the setting that keeps the cap skips the check.
 */
class KernelChoiceStartTest {

  private static final ExampleModel EXAMPLE = ExampleModel.TWO_ARGS_DICT;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final Pattern KERNELS = Pattern.compile(
      "modelcontract_cpu_kernels_info\\{basis=\"([a-z-]+)\",onednn_max_isa=\"([A-Z0-9_]+)\"} 1");

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

  /** Polls /metrics until the check has settled: the kernels' basis is no longer {@code checking}. */
  private static String settledKernels(Started started) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String metrics;
      try {
        metrics = started.metrics();
      } catch (IOException e) {
        metrics = "";
      }
      Matcher kernels = KERNELS.matcher(metrics);
      if (kernels.find() && !kernels.group(1).equals("checking")) {
        return kernels.group();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the kernel check did not settle in 90 s; the log:\n" + started.logText());
  }

  private static HttpResponse<byte[]> send(int port, GoldenCase pair) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/invocations"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(pair.requestBody()))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void assertGolden(GoldenCase pair, HttpResponse<byte[]> answer) throws Exception {
    assertThat(answer.statusCode()).as(pair.name()).isEqualTo(200);
    assertThat(TensorComparison.differences(pair.response(),
        new JsonTensorReader().read(new ByteArrayInputStream(answer.body())), ExampleModel.TOLERANCE))
        .as(pair.name()).isEmpty();
  }

  @Test
  void aForcedDisagreementLeavesTheProcessCappedServingTheGoldenNumbers(@TempDir Path folder) throws Exception {
    // the check tries the cap itself, whose numbers differ from the served ones by the injected difference alone
    Started started = start(folder, List.of("-D" + CpuKernels.INJECTED_DIFFERENCE_PROPERTY + "=1e-3",
        "-D" + CpuKernels.TRIED_ISA_PROPERTY + "=AVX2"), Map.of());
    try {
      long pid = started.process().pid();
      assertThat(settledKernels(started)).isEqualTo(
          "modelcontract_cpu_kernels_info{basis=\"differed\",onednn_max_isa=\"AVX2\"} 1");
      String log = started.logText();
      assertThat(log).contains("oneDNN kernels capped at AVX2 (while the check on this host says whether the uncapped"
          + " kernels give the same numbers)");
      assertThat(log).containsPattern("oneDNN's uncapped kernels are not kept on this host: 19 of 19 requests"
          + " drawn from the contract \\(batch 1\u201332, T 2\u2013128\\) differ beyond 1.0E-5, .*; serving on with"
          + " them capped at AVX2");
      assertThat(log).contains("oneDNN kernels capped at AVX2 (the uncapped kernels' numbers differed on this host:");
      assertThat(log).doesNotContain("took over the listening socket");
      for (GoldenCase pair : GoldenCase.loadAll(EXAMPLE.goldenDir())) {
        assertGolden(pair, send(started.port(), pair));
      }
      assertThat(started.process().isAlive()).isTrue();
      assertThat(started.process().pid()).isEqualTo(pid);
    } finally {
      stop(started);
    }
  }

  @Test
  void aForcedAgreementHandsThePortToTheProcessRestartedWithTheTriedKernelsAnsweringEveryRequest(
      @TempDir Path folder) throws Exception {
    Started started = start(folder, List.of("-D" + CpuKernels.TRIED_ISA_PROPERTY + "=AVX2"), Map.of());
    List<GoldenCase> pairs = GoldenCase.loadAll(EXAMPLE.goldenDir());
    AtomicBoolean sending = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(2);
    try {
      long pid = started.process().pid();
      // two clients send the golden requests without pause until the check has settled, through the hand-over
      List<Future<Integer>> sent = new ArrayList<>();
      for (int client = 0; client < 2; client++) {
        sent.add(clients.submit(() -> {
          int answered = 0;
          while (sending.get()) {
            GoldenCase pair = pairs.get(answered % pairs.size());
            assertGolden(pair, send(started.port(), pair));
            answered++;
          }
          return answered;
        }));
      }
      String kernels = settledKernels(started);
      Thread.sleep(300);
      sending.set(false);
      int answered = 0;
      for (Future<Integer> client : sent) {
        answered += client.get(60, TimeUnit.SECONDS);
      }

      assertThat(kernels).isEqualTo("modelcontract_cpu_kernels_info{basis=\"checked\",onednn_max_isa=\"AVX2\"} 1");
      assertThat(answered).isGreaterThan(20);
      String log = started.logText();
      assertThat(log).containsPattern("oneDNN kernels up to AVX2 checked on this host: 3 golden pairs and 19 requests"
          + " drawn from the contract \\(batch 1\u201332, T 2\u2013128\\) gave the capped kernels' numbers within"
          + " 1.0E-5, in \\d+ ms: handing the port to this process restarted with them");
      assertThat(log).contains("took over the listening socket of port " + started.port());
      assertThat(log).contains("oneDNN kernels up to AVX2 (checked on this host: 3 golden pairs and 19 requests");
      assertThat(started.process().isAlive()).isTrue();
      assertThat(started.process().pid()).isEqualTo(pid);

      // SIGTERM drains the process that took the port over, its log still written, and the port then refuses
      started.process().destroy();
      assertThat(started.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(started.process().exitValue()).isZero();
      assertThat(started.logText()).contains("every request read was answered");
      assertThatThrownBy(() -> started.metrics()).isInstanceOf(IOException.class);
    } finally {
      sending.set(false);
      clients.shutdownNow();
      stop(started);
    }
  }

  @Test
  void theCappedSettingSkipsTheCheck(@TempDir Path folder) throws Exception {
    Started started = start(folder, List.of(), Map.of("MODEL_CONTRACT_KERNELS", "capped"));
    try {
      assertThat(started.metrics()).contains(
          "modelcontract_cpu_kernels_info{basis=\"capped-by-setting\",onednn_max_isa=\"AVX2\"} 1");
      assertThat(started.logText()).doesNotContain("while the check").doesNotContain("handing the port");
    } finally {
      stop(started);
    }
  }
}
