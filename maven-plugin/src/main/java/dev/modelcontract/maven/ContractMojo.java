package dev.modelcontract.maven;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.OfflineDjl;
import dev.modelcontract.validation.GoldenReplay;
import java.io.File;
import java.io.IOException;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** What every goal shares: the model directory, the skip switches, and DJL kept offline. */
abstract class ContractMojo extends AbstractMojo {

  /** The folder holding {@code model-contract.yaml} and the model file it names. */
  @Parameter(property = PropertyNames.MODEL_DIRECTORY, defaultValue = "${basedir}/model", required = true)
  protected File modelDirectory;

  /**
   * Golden pairs: {@code *.json} files of {"description": ..., "request": {...}, "response": {...}}, replayed
   * in-process by {@code validate}, copied into the image (which replays them at every start) by {@code build}, and
   * sent to the running image by {@code verify}.
   */
  @Parameter(property = PropertyNames.GOLDEN_DIRECTORY, defaultValue = "${basedir}/golden")
  protected File goldenDirectory;

  /** Allowed difference per value, relative to {@code 1 + |expected|}, wherever the golden pairs are replayed. */
  @Parameter(property = PropertyNames.TOLERANCE, defaultValue = "" + GoldenReplay.DEFAULT_TOLERANCE)
  protected double tolerance;

  /** Skips every goal of this plugin. */
  @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
  protected boolean skipAll;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skipAll || skipGoal()) {
      getLog().info("Skipping, as configured");
      return;
    }
    QuietLogs.apply(getLog().isDebugEnabled());
    OfflineDjl.enforce();
    run();
  }

  /** Whether this goal's own skip switch is set. */
  abstract boolean skipGoal();

  abstract void run() throws MojoExecutionException, MojoFailureException;

  List<GoldenCase> readGoldenPairs() throws MojoFailureException {
    try {
      return GoldenCase.loadAll(goldenDirectory.toPath());
    } catch (IOException e) {
      throw new MojoFailureException("cannot read the golden pairs: " + e.getMessage(), e);
    }
  }

  ModelContract readContract() throws MojoFailureException {
    try {
      return new ContractReader().read(modelDirectory.toPath().resolve(ContractReader.FILE_NAME));
    } catch (ContractException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
  }
}
