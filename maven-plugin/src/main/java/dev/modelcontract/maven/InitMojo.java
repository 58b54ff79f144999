package dev.modelcontract.maven;

import dev.modelcontract.starter.StarterFiles;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes the first files of a model repo: a starter {@code model-contract.yaml} next to the TorchScript file, valid
 * as written, for {@code validate} to check against the model, and a note on golden pairs. Replaces nothing.
 */
@Mojo(name = "init", threadSafe = true)
public class InitMojo extends ContractMojo {

  /** The TorchScript file's name in the model directory. */
  @Parameter(property = PropertyNames.INIT_MODEL_FILE, defaultValue = "model.pt", required = true)
  private String modelFile;

  @Override
  boolean skipGoal() {
    return false;
  }

  @Override
  void run() throws MojoFailureException {
    if (!Files.isRegularFile(modelDirectory.toPath().resolve(modelFile))) {
      getLog().warn("No " + modelFile + " in " + modelDirectory + " yet: save the TorchScript file there"
          + " (torch.jit.script(model).save(...)) before `mvn validate`");
    }
    try {
      StarterFiles.write(modelDirectory.toPath(), modelFile, goldenDirectory.toPath())
          .forEach(file -> getLog().info("Wrote " + file));
    } catch (IOException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
    getLog().info("Next: edit the contract's inputs, forward and outputs to your model's, add golden pairs, run"
        + " `mvn validate`");
  }
}
