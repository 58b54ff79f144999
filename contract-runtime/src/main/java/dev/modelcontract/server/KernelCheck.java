package dev.modelcontract.server;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.hosting.EnvironmentVariable;
import dev.modelcontract.inference.CpuKernels;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import dev.modelcontract.validation.Check;
import dev.modelcontract.validation.KernelProbes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks, on the host a serving image landed on, whether oneDNN's uncapped kernels give the capped kernels' numbers
 * for its model. The serving process runs uncapped ({@link CpuKernels.Basis#CHECKING}); oneDNN reads its cap once
 * per process, so a {@link KernelReference} process, started at once and running beside the model's load, computes
 * the capped numbers. The uncapped kernels are kept only where the golden pairs pass and every one of the contract's
 * {@link KernelProbes} agrees with the reference within the golden tolerance; anything else — a difference, a
 * refusal on one side only, a reference that fails or takes longer than {@link #TIMEOUT} — is a reason to serve
 * capped.
 */
final class KernelCheck implements AutoCloseable {

  static final ObjectMapper JSON = JsonMapper.builder().build();
  /** How long the reference may take; a SageMaker container must answer /ping within 4 minutes of its start. */
  static final long TIMEOUT_SECONDS = 120;
  /** The reference process's heap: it holds one probe at a time. */
  private static final String REFERENCE_HEAP = "-Xmx256m";
  /** The server's JVM options the reference does without. */
  private static final List<String> NOT_INHERITED = List.of("-Xmx", "-Xms", "-XX:StartFlightRecording",
      "-XX:FlightRecorder", "-agent", "-javaagent", "-Xlog", "-XX:DumpLoadedClassList", "-Xshare:off",
      "-D" + CpuKernels.INJECTED_DIFFERENCE_PROPERTY);
  /** The longest part of a reason kept: the restarted process logs it and reports it on /metrics' log line. */
  private static final int REASON_LIMIT = 600;

  private final Process reference;
  private final Path answers;
  private final long maxRows;
  private final long started = System.nanoTime();

  /**
   * The check's outcome.
   *
   * @param agreed whether the uncapped kernels gave the capped kernels' numbers on everything tried
   * @param reason what was compared, or why they differ
   */
  record Verdict(boolean agreed, String reason) {

    static Verdict differ(String reason) {
      return new Verdict(false, reason.length() <= REASON_LIMIT ? reason : reason.substring(0, REASON_LIMIT) + " …");
    }
  }

  private KernelCheck(Process reference, Path answers, long maxRows) {
    this.reference = reference;
    this.answers = answers;
    this.maxRows = maxRows;
  }

  /** Starts the capped reference for the model the server will load; call before the model loads, to overlap. */
  static KernelCheck start(ServerConfig config) throws IOException {
    Path answers = Files.createTempFile("kernel-reference", ".jsonl");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (inherited(argument)) {
        command.add(argument);
      }
    }
    command.addAll(List.of(REFERENCE_HEAP, "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
        KernelReference.class.getName(), config.modelDirectory().toString(),
        Long.toString(config.batching().maxRows()), answers.toString()));
    // its log (and ONEDNN_VERBOSE's lines, the capped kernels it ran) joins the server's
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().put(EnvironmentVariable.ONEDNN_MAX_CPU_ISA.name(), CpuKernels.DEFAULT_ISA);
    builder.environment().put(EnvironmentVariable.OMP_NUM_THREADS.name(),
        CpuKernels.current().map(CpuKernels.Configuration::threadsPerForward).orElse("1"));
    builder.environment().remove(CpuKernels.DIFFER_VARIABLE);
    try {
      Process reference = builder.start();
      // a start that fails (exit 1, 3) leaves no reference running behind it
      Runtime.getRuntime().addShutdownHook(new Thread(reference::destroyForcibly, "kernel-reference-stop"));
      return new KernelCheck(reference, answers, config.batching().maxRows());
    } catch (IOException e) {
      Files.deleteIfExists(answers);
      throw e;
    }
  }

  /** The JVM options the reference takes from the server: not its heap size, recordings, agents or logs. */
  private static boolean inherited(String argument) {
    return NOT_INHERITED.stream().noneMatch(argument::startsWith);
  }

  /**
   * Judges the uncapped kernels on the loaded model: its golden pairs as replayed at start, then every probe
   * against the reference's numbers.
   *
   * @param golden the golden pairs' checks, replayed with the uncapped kernels
   * @param tolerance the golden tolerance, relative to {@code 1 + |expected|}
   * @return whether they agree, and what was compared or why they differ
   */
  Verdict judge(ContractModel model, List<Check> golden, double tolerance) {
    Verdict pairs = judgeGoldenPairs(golden);
    if (!pairs.agreed()) {
      return pairs;
    }
    List<String> lines;
    try {
      if (!reference.waitFor(Math.max(1, TIMEOUT_SECONDS - elapsedSeconds()), TimeUnit.SECONDS)) {
        return Verdict.differ("the capped reference process took longer than " + TIMEOUT_SECONDS + " s");
      }
      if (reference.exitValue() != 0) {
        return Verdict.differ("the capped reference process exited " + reference.exitValue());
      }
      lines = Files.readAllLines(answers, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Verdict.differ("the capped reference process's answers could not be read: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.differ("interrupted while waiting for the capped reference process");
    }
    return compare(model, lines, golden.size(), tolerance);
  }

  /** The first half of {@link #judge}: the golden pairs alone, which need no reference. */
  Verdict judgeGoldenPairs(List<Check> golden) {
    List<Check> failed = golden.stream().filter(check -> !check.passed()).toList();
    return failed.isEmpty() ? new Verdict(true, golden.size() + " golden pairs reproduced")
        : Verdict.differ(failed.size() + " of " + golden.size() + " golden pairs differ with them, "
            + failed.get(0).name() + ": " + failed.get(0).detail().split("; ")[0]);
  }

  private Verdict compare(ContractModel model, List<String> reference, int goldenPairs,
      double tolerance) {
    List<KernelProbes.Probe> probes = KernelProbes.of(model.contract(),
        new ServerConfig.Batching(maxRows, Duration.ZERO, Duration.ZERO)
            .rowsPerPass(model.maxBatchRows()));
    if (reference.size() != probes.size()) {
      return Verdict.differ("the capped reference process wrote " + reference.size() + " answers for "
          + probes.size() + " requests");
    }
    double injected = CpuKernels.injectedDifference();
    List<String> differing = new ArrayList<>();
    int compared = 0;
    for (int i = 0; i < probes.size(); i++) {
      KernelProbes.Probe probe = probes.get(i);
      String which = "the request drawn with " + probe.describe();
      JsonNode line = JSON.readTree(reference.get(i));
      if (!probe.describe().equals(line.path("sizes").asString())) {
        return Verdict.differ("the capped reference process answered " + line.path("sizes").asString()
            + " where " + probe.describe() + " was due");
      }
      Map<String, Tensor> uncapped;
      String refused = null;
      try {
        uncapped = perturbed(model.predict(probe.request()), injected);
      } catch (ContractViolation | OutputMismatch | ModelFailure e) {
        uncapped = null;
        refused = e.getMessage();
      }
      if (line.has("refused") || refused != null) {
        if (!(line.has("refused") && refused != null)) {
          differing.add(which + ": " + (refused != null ? "refused uncapped (" + refused + ")"
              : "refused capped (" + line.path("refused").asString() + ")") + " but not the other way");
        }
        continue;
      }
      compared++;
      List<String> found = TensorComparison.differences(outputs(line), uncapped, tolerance);
      if (!found.isEmpty()) {
        differing.add(which + ": " + found.get(0).split("; ")[0]);
      }
    }
    if (!differing.isEmpty()) {
      return Verdict.differ((differing.size() + " of " + probes.size() + " requests drawn from the"
          + " contract (" + KernelProbes.ranges(probes) + ") differ beyond " + tolerance + ", " + differing.get(0)));
    }
    return new Verdict(true, String.format(Locale.ROOT, "checked on this host: %d golden pairs and %d requests"
        + " drawn from the contract (%s) gave the capped kernels' numbers within %s, in %d ms", goldenPairs, compared,
        KernelProbes.ranges(probes), tolerance, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
  }

  private static Map<String, Tensor> outputs(JsonNode line) {
    try {
      return new JsonTensorReader().read(new ByteArrayInputStream(
          JSON.writeValueAsBytes(line.get("outputs"))));
    } catch (TensorFormatException | ContractViolation | IOException e) {
      throw new IllegalStateException("the capped reference wrote outputs that do not read back: " + e, e);
    }
  }

  /** The outputs with a test's injected difference added: {@code d * (1 + |x|)} to every number. */
  private static Map<String, Tensor> perturbed(Map<String, Tensor> outputs, double difference) {
    if (difference == 0) {
      return outputs;
    }
    Map<String, Tensor> perturbed = new LinkedHashMap<>();
    outputs.forEach((name, tensor) -> {
      if (tensor instanceof FloatTensor floats) {
        float[] values = floats.values().clone();
        for (int i = 0; i < values.length; i++) {
          values[i] += (float) (difference * (1 + Math.abs(values[i])));
        }
        perturbed.put(name, new FloatTensor(tensor.shape(), values));
      } else if (tensor instanceof DoubleTensor doubles) {
        double[] values = doubles.values().clone();
        for (int i = 0; i < values.length; i++) {
          values[i] += difference * (1 + Math.abs(values[i]));
        }
        perturbed.put(name, new DoubleTensor(tensor.shape(), values));
      } else {
        perturbed.put(name, tensor);
      }
    });
    return perturbed;
  }

  private long elapsedSeconds() {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
  }

  /** Stops the reference where it still runs (a model that failed to load, a difference found early). */
  @Override
  public void close() {
    reference.destroyForcibly();
    try {
      Files.deleteIfExists(answers);
    } catch (IOException e) {
      // a temporary file left behind
    }
  }
}
