package dev.modelcontract.server;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.CpuKernels;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.inference.OfflineDjl;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.Check;
import dev.modelcontract.validation.KernelProbes;
import dev.modelcontract.validation.StartupCheck;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The tried side of a {@link KernelCheck}: a process of its own (oneDNN reads its cap once per process), started by
 * the serving process with {@code ONEDNN_MAX_CPU_ISA} at the cap to try ({@code ALL}). It loads the model and runs
 * what the serving process's start runs — the contract's dry run and the golden pairs — then the contract's
 * {@link KernelProbes}, and writes JSON lines to the answers file: first
 * {@code {"startup": "passed", "goldenPairs": 3}}, or {@code {"differ": "..."}} (and nothing more) where the start
 * would fail with these kernels; then one line per probe, in order:
 * {@code {"sizes": "batch 8, T 512", "outputs": {...}}}, or {@code "refused"} with the reason where the contract
 * refuses the probe.
 *
 * <pre>KernelTrial MODEL_DIRECTORY GOLDEN_DIRECTORY TOLERANCE ROWS_PER_PASS ANSWERS_FILE</pre>
 *
 * <p>Exit codes: 0 when the answers were written, 1 when the model fails to load or run, 2 for a wrong command line.
 */
public final class KernelTrial {

  private KernelTrial() {}

  public static void main(String[] args) {
    if (args.length != 5) {
      System.err.println("usage: " + KernelTrial.class.getName()
          + " MODEL_DIRECTORY GOLDEN_DIRECTORY TOLERANCE ROWS_PER_PASS ANSWERS_FILE");
      System.exit(2);
      return;
    }
    OfflineDjl.enforce();
    CpuKernels.apply();
    double tolerance = Double.parseDouble(args[2]);
    try (ContractModel model = ContractModel.load(Path.of(args[0]));
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[4])))) {
      List<GoldenCase> golden = GoldenCase.loadAll(Path.of(args[1]));
      String differ = startupDiffers(model, golden, tolerance);
      if (differ != null) {
        out.write(("{\"differ\":" + KernelCheck.JSON.writeValueAsString(differ) + "}\n")
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      out.write(("{\"startup\":\"passed\",\"goldenPairs\":" + golden.size() + "}\n")
          .getBytes(StandardCharsets.UTF_8));
      write(model, Long.parseLong(args[3]), out);
    } catch (ContractException e) {
      // the server, loading the same directory, names the contract's problems itself
      System.exit(1);
    } catch (IOException | RuntimeException e) {
      System.err.println("kernel trial: " + e);
      System.exit(1);
    }
  }

  /** Why the serving process's start would fail with these kernels, or null where it would pass. */
  static String startupDiffers(ContractModel model, List<GoldenCase> golden, double tolerance) {
    StartupCheck.Verdict verdict = StartupCheck.run(model, golden, tolerance);
    if (!verdict.dryRun().passed()) {
      return "the contract's dry run fails with them: " + verdict.dryRun().problems().get(0);
    }
    return goldenPairsDiffer(verdict.golden());
  }

  /** Which golden pairs the tried kernels miss, or null where they reproduce every one. */
  static String goldenPairsDiffer(List<Check> golden) {
    List<Check> failed = golden.stream().filter(check -> !check.passed()).toList();
    return failed.isEmpty() ? null : failed.size() + " of " + golden.size() + " golden pairs differ with them, "
        + failed.get(0).name() + ": " + failed.get(0).detail().split("; ")[0];
  }

  /** Runs every probe of the model's contract and writes its line. */
  static void write(ContractModel model, long rows, OutputStream out) throws IOException {
    JsonTensorWriter writer = new JsonTensorWriter();
    for (KernelProbes.Probe probe : KernelProbes.of(model.contract(), rows)) {
      String sizes = KernelCheck.JSON.writeValueAsString(probe.describe());
      out.write(("{\"sizes\":" + sizes + ",").getBytes(StandardCharsets.UTF_8));
      try {
        Map<String, Tensor> outputs = model.predict(probe.request());
        out.write("\"outputs\":".getBytes(StandardCharsets.UTF_8));
        writer.write(outputs, out);
      } catch (ContractViolation | OutputMismatch | ModelFailure e) {
        out.write(("\"refused\":" + KernelCheck.JSON.writeValueAsString(e.getMessage()))
            .getBytes(StandardCharsets.UTF_8));
      }
      out.write("}\n".getBytes(StandardCharsets.UTF_8));
    }
  }
}
