package dev.modelcontract.maven;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.enforcement.PayloadEstimate;
import dev.modelcontract.inference.ContractDryRun;
import dev.modelcontract.inference.ContractModel;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks the contract against its JSON Schema and its own rules, loads the model with DJL's PyTorch engine, and
 * runs one forward pass on inputs of the contract's shapes: the build fails where the model and the contract
 * disagree, naming the contract's file, line and field.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class ValidateMojo extends ContractMojo {

  @Parameter(property = PropertyNames.SKIP_VALIDATE, defaultValue = "false")
  private boolean skip;

  @Override
  boolean skipGoal() {
    return skip;
  }

  @Override
  void run() throws MojoFailureException {
    try (ContractModel model = ContractModel.load(modelDirectory.toPath())) {
      ContractDryRun.Result result = ContractDryRun.run(model);
      if (!result.passed()) {
        throw new MojoFailureException(
            new ContractException(model.contract().source().file(), result.problems()).getMessage());
      }
      getLog().info("Model contract OK: inputs " + model.contract().inputNames() + "; the model returned "
          + result.outputs().entrySet().stream()
              .map(output -> output.getKey() + Arrays.toString(output.getValue().shape()))
              .collect(Collectors.joining(", ")) + " on a sample request");
      getLog().info("Dry runs: " + String.join("; ", result.cases()));
      PayloadEstimate.of(model.contract(), PayloadEstimate.SAGEMAKER_LIMIT_BYTES)
          .forEach(estimate -> getLog().info("Payload: " + estimate.describe(model.contract())));
    } catch (ContractException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
  }
}
