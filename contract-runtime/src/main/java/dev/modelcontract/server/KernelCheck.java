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
import dev.modelcontract.validation.KernelProbes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * for its model. The serving process starts capped ({@link CpuKernels.Basis#CHECKING}) and serves; oneDNN reads its
 * cap once per process, so a {@link KernelTrial} process, started once the model serves, runs the model with the cap
 * lifted: the contract's dry run, the golden pairs, then the contract's {@link KernelProbes}, whose answers the
 * serving process compares with its own. The uncapped kernels agree only where the start passes with them and every
 * probe agrees within the golden tolerance; anything else — a difference, a refusal on one side only, a trial that
 * fails or takes longer than {@link #TIMEOUT_SECONDS} — is a reason to stay capped.
 */
final class KernelCheck implements AutoCloseable {

  static final ObjectMapper JSON = JsonMapper.builder().build();
  /** How long the trial may take. */
  static final long TIMEOUT_SECONDS = 120;
  /** The trial process's heap: it holds one probe at a time. */
  private static final String TRIAL_HEAP = "-Xmx256m";
  /** The server's JVM options the trial does without. */
  private static final List<String> NOT_INHERITED = List.of("-Xmx", "-Xms", "-XX:StartFlightRecording",
      "-XX:FlightRecorder", "-agent", "-javaagent", "-Xlog", "-XX:DumpLoadedClassList", "-Xshare:off",
      "-D" + CpuKernels.INJECTED_DIFFERENCE_PROPERTY, "-D" + CpuKernels.TRIED_ISA_PROPERTY);
  /** The longest part of a reason kept: the process that takes over logs it and reports it on /metrics' log line. */
  private static final int REASON_LIMIT = 600;

  private final Process trial;
  private final Path answers;
  private final long rowsPerPass;
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

  private KernelCheck(Process trial, Path answers, long rowsPerPass) {
    this.trial = trial;
    this.answers = answers;
    this.rowsPerPass = rowsPerPass;
  }

  /**
   * Starts the trial of the kernels up to {@code isa} for the model the server serves.
   *
   * @param rowsPerPass the most rows the server puts in one forward pass, which the probes reach
   */
  static KernelCheck start(ServerConfig config, long rowsPerPass, String isa) throws IOException {
    Path answers = Files.createTempFile("kernel-trial", ".jsonl");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (inherited(argument)) {
        command.add(argument);
      }
    }
    command.addAll(List.of(TRIAL_HEAP, "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
        KernelTrial.class.getName(), config.modelDirectory().toString(), config.goldenDirectory().toString(),
        Double.toString(config.goldenTolerance()), Long.toString(rowsPerPass), answers.toString()));
    // its log joins the server's; its standard output, where ONEDNN_VERBOSE prints the kernels it ran, does not: the
    // server's log names the kernels that serve
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put(EnvironmentVariable.ONEDNN_MAX_CPU_ISA.name(), isa);
    builder.environment().put(EnvironmentVariable.OMP_NUM_THREADS.name(),
        CpuKernels.current().map(CpuKernels.Configuration::threadsPerForward).orElse("1"));
    builder.environment().remove(CpuKernels.CHECKED_VARIABLE);
    try {
      Process trial = builder.start();
      // a server that stops leaves no trial running behind it
      Runtime.getRuntime().addShutdownHook(new Thread(trial::destroyForcibly, "kernel-trial-stop"));
      return new KernelCheck(trial, answers, rowsPerPass);
    } catch (IOException e) {
      Files.deleteIfExists(answers);
      throw e;
    }
  }

  /** The JVM options the trial takes from the server: not its heap size, recordings, agents or logs. */
  private static boolean inherited(String argument) {
    return NOT_INHERITED.stream().noneMatch(argument::startsWith);
  }

  /**
   * Judges the tried kernels against the serving model's: the trial's start, then every probe's answers against the
   * model's own.
   *
   * @param capped the model as the server serves it, with the capped kernels
   * @param tolerance the golden tolerance, relative to {@code 1 + |expected|}
   * @return whether they agree, and what was compared or why they differ
   */
  Verdict judge(ContractModel capped, double tolerance) {
    List<String> lines;
    try {
      if (!trial.waitFor(Math.max(1, TIMEOUT_SECONDS - elapsedSeconds()), TimeUnit.SECONDS)) {
        return Verdict.differ("the process trying them took longer than " + TIMEOUT_SECONDS + " s");
      }
      if (trial.exitValue() != 0) {
        return Verdict.differ("the process trying them exited " + trial.exitValue());
      }
      lines = Files.readAllLines(answers, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Verdict.differ("the answers of the process trying them could not be read: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.differ("interrupted while waiting for the process trying them");
    }
    if (lines.isEmpty()) {
      return Verdict.differ("the process trying them wrote no answers");
    }
    JsonNode startup = JSON.readTree(lines.get(0));
    if (startup.has("differ")) {
      return Verdict.differ(startup.path("differ").asString());
    }
    return compare(capped, lines.subList(1, lines.size()), startup.path("goldenPairs").asInt(), tolerance);
  }

  private Verdict compare(ContractModel model, List<String> tried, int goldenPairs, double tolerance) {
    List<KernelProbes.Probe> probes = KernelProbes.of(model.contract(), rowsPerPass);
    if (tried.size() != probes.size()) {
      return Verdict.differ("the process trying them wrote " + tried.size() + " answers for " + probes.size()
          + " requests");
    }
    double injected = CpuKernels.injectedDifference();
    List<String> differing = new ArrayList<>();
    int compared = 0;
    for (int i = 0; i < probes.size(); i++) {
      KernelProbes.Probe probe = probes.get(i);
      String which = "the request drawn with " + probe.describe();
      JsonNode line = JSON.readTree(tried.get(i));
      if (!probe.describe().equals(line.path("sizes").asString())) {
        return Verdict.differ("the process trying them answered " + line.path("sizes").asString()
            + " where " + probe.describe() + " was due");
      }
      Map<String, Tensor> served;
      String refused = null;
      try {
        served = model.predict(probe.request());
      } catch (ContractViolation | OutputMismatch | ModelFailure e) {
        served = null;
        refused = e.getMessage();
      }
      if (line.has("refused") || refused != null) {
        if (!(line.has("refused") && refused != null)) {
          differing.add(which + ": " + (refused != null ? "refused capped (" + refused + ")"
              : "refused uncapped (" + line.path("refused").asString() + ")") + " but not the other way");
        }
        continue;
      }
      compared++;
      List<String> found = TensorComparison.differences(served, perturbed(outputs(line), injected), tolerance);
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
      throw new IllegalStateException("the process trying them wrote outputs that do not read back: " + e, e);
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

  /** Stops the trial where it still runs. */
  @Override
  public void close() {
    trial.destroyForcibly();
    try {
      Files.deleteIfExists(answers);
    } catch (IOException e) {
      // a temporary file left behind
    }
  }
}
