package dev.modelcontract.maven;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.golden.GoldenRecorder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Turns request files into golden pairs by running the model in-process, for teams without a Python reference:
 * each {@code *.json} request in {@code modelcontract.record} (a body as the image takes it) becomes
 * {@code golden/NAME.json} with the model's response on this machine. Review the numbers before committing them:
 * a golden pair recorded from the model checks that later builds and hosts compute the same, not that the model is
 * right. Existing pairs are kept unless {@code modelcontract.record.overwrite} is set.
 */
@Mojo(name = "record", threadSafe = true)
public class RecordMojo extends ContractMojo {

  /** The folder of request files ({@code *.json}, in any JSON form the image reads) to record. */
  @Parameter(property = PropertyNames.RECORD, required = true)
  private File requests;

  /** Whether a golden pair of the same name is replaced; by default the build fails instead. */
  @Parameter(property = PropertyNames.RECORD_OVERWRITE, defaultValue = "false")
  private boolean overwrite;

  @Override
  boolean skipGoal() {
    return false;
  }

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    try (ContractModel model = ContractModel.load(modelDirectory.toPath())) {
      List<Path> written = new GoldenRecorder(model).record(requests.toPath(), goldenDirectory.toPath(), overwrite);
      if (written.isEmpty()) {
        throw new MojoFailureException("no request files (*.json) in " + requests);
      }
      written.forEach(file -> getLog().info("Recorded " + file));
    } catch (ContractException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (GoldenRecorder.RecordingFailed e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }
}
