package dev.modelcontract.server;

import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.inference.CpuKernels;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a serving process's kernels once it serves, capped ({@link CpuKernels.Basis#CHECKING}): a
 * {@link KernelCheck} in the background, then either the cap for good, with the reason, or a hand-over of the port to
 * the process itself with the cap lifted ({@link SageMakerServer#handOver}, {@link KernelSwitch}). The server answers
 * throughout; the choice costs the start nothing.
 */
final class KernelChoice {

  private static final Logger LOG = LoggerFactory.getLogger(KernelChoice.class);

  private KernelChoice() {}

  /** Starts the check on a thread of its own; the server must serve its model already. */
  static void inBackground(SageMakerServer server, ServerConfig config) {
    Thread check = new Thread(() -> choose(server, config), "kernel-check");
    check.setDaemon(true);
    check.start();
  }

  static void choose(SageMakerServer server, ServerConfig config) {
    ContractModel model = server.model().orElseThrow(() -> new IllegalStateException("no model serves yet"));
    KernelCheck.Verdict verdict;
    String isa = CpuKernels.triedIsa();
    try (KernelCheck check = KernelCheck.start(config, config.batching().rowsPerPass(model.maxBatchRows()), isa)) {
      verdict = check.judge(model, config.goldenTolerance());
    } catch (IOException e) {
      verdict = KernelCheck.Verdict.differ("the process to try them did not start: " + e.getMessage());
    } catch (RuntimeException e) {
      verdict = KernelCheck.Verdict.differ("the check failed: " + e);
    }
    if (!verdict.agreed()) {
      LOG.warn("oneDNN's uncapped kernels are not kept on this host: {}; serving on with them capped at {}",
          verdict.reason(), CpuKernels.DEFAULT_ISA);
      LOG.info("{}", CpuKernels.settle(CpuKernels.Basis.DIFFERED,
          "the uncapped kernels' numbers differed on this host: " + verdict.reason()).describe());
      return;
    }
    LOG.info("oneDNN kernels up to {} {}: handing the port to this process restarted with them", isa,
        verdict.reason());
    String reason = verdict.reason();
    String failure = server.handOver(config.drainTimeout(), listening -> KernelSwitch.exec(listening, isa, reason));
    LOG.warn("the port was not handed to the uncapped kernels ({}): serving on with them capped at {}", failure,
        CpuKernels.DEFAULT_ISA);
    LOG.info("{}", CpuKernels.settle(CpuKernels.Basis.NOT_SWITCHED, "the check kept the uncapped kernels ("
        + reason + ") but the port was not handed to them: " + failure).describe());
  }
}
