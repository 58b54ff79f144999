package dev.modelcontract.maven;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractSchema;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.hosting.SageMakerHosting;
import dev.modelcontract.inference.CpuKernels;
import dev.modelcontract.validation.Check;
import dev.modelcontract.validation.ContractDryRun;
import dev.modelcontract.validation.PayloadEstimate;
import dev.modelcontract.validation.StartupCheck;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks the contract against its JSON Schema and its own rules, loads the model with DJL's PyTorch engine, runs
 * forward passes on inputs of the contract's shapes, and replays the golden pairs: the build fails where the model
 * and the contract disagree, naming the contract's file, line and field, and where the numbers differ.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class ValidateMojo extends ContractMojo {

  /** Skips this goal. */
  @Parameter(property = PropertyNames.SKIP_VALIDATE, defaultValue = "false")
  private boolean skip;

  /**
   * Where the contract language's JSON Schema is written, from the plugin itself, for editors: a contract in
   * {@code model/} names it with {@code $schema: ../target/model-contract/model-contract.schema.json}.
   */
  @Parameter(defaultValue = "${project.build.directory}/model-contract/model-contract.schema.json", readonly = true)
  private File schemaFile;

  @Override
  boolean skipGoal() {
    return skip;
  }

  @Override
  void run() throws MojoFailureException, MojoExecutionException {
    writeSchema();
    try (ContractModel model = ContractModel.load(modelDirectory.toPath())) {
      List<GoldenCase> golden = readGoldenPairs();
      StartupCheck.Verdict verdict = StartupCheck.run(model, golden, tolerance);
      ContractDryRun.Result result = verdict.dryRun();
      if (!result.passed()) {
        throw new MojoFailureException(
            new ContractException(model.contract().source().file(), result.problems()).getMessage());
      }
      getLog().info("Model contract OK: inputs " + model.contract().inputNames() + "; the model returned "
          + result.outputs().entrySet().stream()
              .map(output -> output.getKey() + Arrays.toString(output.getValue().shape()))
              .collect(Collectors.joining(", ")) + " on a sample request");
      getLog().info("Dry runs: " + String.join("; ", result.cases()));
      reportGoldenPairs(verdict);
      PayloadEstimate.of(model.contract(), SageMakerHosting.MAX_BODY_BYTES)
          .forEach(estimate -> getLog().info("Payload: " + estimate.describe(model.contract())));
    } catch (ContractException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
  }

  /** Written first, so that an editor completes and checks the contract even while the build fails on it. */
  private void writeSchema() throws MojoExecutionException {
    try (InputStream schema = ContractSchema.class.getResourceAsStream(ContractSchema.RESOURCE)) {
      Files.createDirectories(schemaFile.toPath().getParent());
      Files.copy(schema, schemaFile.toPath(), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write " + schemaFile + ": " + e.getMessage(), e);
    }
    getLog().debug("Wrote the contract's JSON Schema to " + schemaFile);
  }

  /** The same pairs and tolerance as {@code verify}, on this JVM's CPU kernels: wrong numbers fail the build. */
  private void reportGoldenPairs(StartupCheck.Verdict verdict) throws MojoFailureException {
    List<Check> checks = verdict.golden();
    if (checks.isEmpty()) {
      getLog().warn("No golden pairs in " + goldenDirectory + ": nothing checks the model's numbers, perhaps you"
          + " should add request/response pairs computed in Python (see the tutorial)");
      return;
    }
    String report = Check.report("Golden pairs replayed in-process; " + CpuKernels.apply().describe(), checks);
    if (!verdict.goldenFailures().isEmpty()) {
      throw new MojoFailureException(report);
    }
    report.lines().forEach(getLog()::info);
  }
}
