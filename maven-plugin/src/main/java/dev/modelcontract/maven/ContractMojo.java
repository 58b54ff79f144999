package dev.modelcontract.maven;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.inference.OfflineDjl;
import java.io.File;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** What every goal shares: the model directory, the skip switches, and DJL kept offline. */
abstract class ContractMojo extends AbstractMojo {

  /** The folder holding {@code model-contract.yaml} and the model file it names. */
  @Parameter(property = PropertyNames.MODEL_DIRECTORY, defaultValue = "${project.basedir}/model", required = true)
  protected File modelDirectory;

  /** Skips every goal of this plugin. */
  @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
  protected boolean skipAll;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skipAll || skipGoal()) {
      getLog().info("Skipping, as configured");
      return;
    }
    OfflineDjl.enforce();
    run();
  }

  /** Whether this goal's own skip switch is set. */
  abstract boolean skipGoal();

  abstract void run() throws MojoExecutionException, MojoFailureException;

  ModelContract readContract() throws MojoFailureException {
    try {
      return new ContractReader().read(modelDirectory.toPath().resolve(ContractReader.FILE_NAME));
    } catch (ContractException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
  }
}
