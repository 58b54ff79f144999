package dev.modelcontract.server;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractProblem;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.CpuKernels;
import dev.modelcontract.validation.Check;
import dev.modelcontract.validation.StartupCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a model directory the one way both servers take it, the single-model start and a multi-model endpoint's
 * {@code POST /models}: the contract read and checked, the model loaded, the contract's dry run (which also warms the
 * model up), and the golden pairs replayed on this host's CPU. A model that fails any step is closed, not returned.
 */
final class ModelLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

  private ModelLoader() {}

  /**
   * @param missingHint what to do where the directory holds no contract
   * @throws ContractException when the contract is invalid, the model cannot be loaded, or they disagree
   * @throws GoldenPairsDiffer when the model's numbers on this CPU differ from its golden pairs
   * @throws IOException when the golden pairs cannot be read
   */
  static ContractModel load(Path modelDirectory, Path goldenDirectory, double tolerance, String missingHint)
      throws ContractException, GoldenPairsDiffer, IOException {
    long started = System.nanoTime();
    Path contractFile = modelDirectory.resolve(ContractReader.FILE_NAME);
    if (!Files.exists(contractFile)) {
      throw new ContractException(contractFile.toString(), List.of(new ContractProblem(contractFile.toString(), "",
          "the file does not exist: there is no model in " + modelDirectory, missingHint)));
    }
    List<GoldenCase> golden = GoldenCase.loadAll(goldenDirectory);
    ContractModel loaded = ContractModel.load(modelDirectory);
    StartupCheck.Verdict verdict = StartupCheck.run(loaded, golden, tolerance);
    if (!verdict.dryRun().passed()) {
      loaded.close();
      throw new ContractException(loaded.contract().source().file(), verdict.dryRun().problems());
    }
    judgeGoldenPairs(loaded, verdict, goldenDirectory, tolerance);
    LOG.info("model {} ready in {} ms: inputs {}, outputs {}", modelDirectory,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), loaded.contract().inputNames(),
        loaded.contract().outputNames());
    return loaded;
  }

  private static void judgeGoldenPairs(ContractModel loaded, StartupCheck.Verdict verdict, Path goldenDirectory,
      double tolerance) throws GoldenPairsDiffer {
    List<Check> checks = verdict.golden();
    if (checks.isEmpty()) {
      LOG.warn("no golden pairs in {}: nothing checks this model's numbers on this CPU", goldenDirectory);
      return;
    }
    List<Check> failures = verdict.goldenFailures();
    if (!failures.isEmpty()) {
      loaded.close();
      failures.forEach(failure -> LOG.error("golden pair differs on this CPU: {}: {}", failure.name(),
          failure.detail()));
      throw new GoldenPairsDiffer(Check.report("Golden pairs in " + goldenDirectory + " replayed on this CPU ("
          + CpuKernels.apply().describe() + "); refusing to serve numbers that differ from them", checks), failures);
    }
    LOG.info("golden pairs: {} reproduced within {} on this CPU", Check.summary(checks), tolerance);
  }
}
