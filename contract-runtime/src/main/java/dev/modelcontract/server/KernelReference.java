package dev.modelcontract.server;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.inference.CpuKernels;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.inference.OfflineDjl;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.KernelProbes;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The capped side of a {@link KernelCheck}: a process of its own (oneDNN reads its cap once per process), started by
 * the serving process with {@code ONEDNN_MAX_CPU_ISA} at the cap. It loads the model, runs the contract's
 * {@link KernelProbes} and writes one JSON line per probe to the answers file, in order: {@code {"sizes": "batch 8,
 * T 512", "outputs": {...}}}, or {@code "refused"} with the reason where the contract refuses the probe.
 *
 * <pre>KernelReference MODEL_DIRECTORY MAX_ROWS ANSWERS_FILE</pre>
 *
 * <p>Exit codes: 0 when every probe was written, 1 when the model fails to load or run, 2 for a wrong command line.
 */
public final class KernelReference {

  private KernelReference() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: " + KernelReference.class.getName() + " MODEL_DIRECTORY MAX_ROWS ANSWERS_FILE");
      System.exit(2);
      return;
    }
    OfflineDjl.enforce();
    CpuKernels.apply();
    try (ContractModel model = ContractModel.load(Path.of(args[0]));
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[2])))) {
      long rows = new ServerConfig.Batching(Long.parseLong(args[1]), Duration.ZERO, Duration.ZERO)
          .rowsPerPass(model.maxBatchRows());
      write(model, rows, out);
    } catch (ContractException e) {
      // the server, loading the same directory, names the contract's problems itself
      System.exit(1);
    } catch (IOException | RuntimeException e) {
      System.err.println("kernel reference: " + e);
      System.exit(1);
    }
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
