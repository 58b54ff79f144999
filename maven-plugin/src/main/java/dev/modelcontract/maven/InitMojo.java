package dev.modelcontract.maven;

import dev.modelcontract.draft.ContractDraft;
import dev.modelcontract.draft.DraftException;
import dev.modelcontract.draft.DraftYaml;
import dev.modelcontract.starter.Coordinates;
import dev.modelcontract.starter.StarterFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes a model repo, in an empty folder too (no pom needed): {@code pom.xml} with this plugin, the TorchScript
 * file copied into {@code model/}, {@code model/model-contract.yaml} drafted from the model (forward's arguments and
 * return kind from its code; dtypes and shapes from a run on a sample request, where one is given; a {@code FILL IN}
 * mark that {@code validate} reports on each value left to write), and a note on golden pairs. Replaces nothing.
 */
@Mojo(name = "init", requiresProject = false, aggregator = true, threadSafe = true)
public class InitMojo extends ContractMojo {

  /** The TorchScript file: a path (relative to the current folder), or a file name in the model directory. */
  @Parameter(property = PropertyNames.INIT_MODEL_FILE, defaultValue = "model.pt", required = true)
  private String modelFile;

  /**
   * A request of named arrays, as the server takes it (or a golden pair), to run the model on: its dtypes and
   * shapes, the outputs' keys, dtypes and shapes, and which axes are the batch and the sequence go into the draft.
   */
  @Parameter(property = PropertyNames.INIT_SAMPLE)
  private File sample;

  /** The new pom's groupId. */
  @Parameter(property = PropertyNames.INIT_GROUP_ID, defaultValue = "com.example")
  private String groupId;

  /** The new pom's artifactId, which names the image; by default the folder's name. */
  @Parameter(property = PropertyNames.INIT_ARTIFACT_ID)
  private String artifactId;

  /** The new pom's version, which tags the image. */
  @Parameter(property = PropertyNames.INIT_VERSION, defaultValue = "1.0.0-SNAPSHOT")
  private String version;

  @Parameter(defaultValue = "${basedir}", readonly = true)
  private File baseDirectory;

  @Parameter(defaultValue = "${plugin.groupId}", readonly = true)
  private String pluginGroupId;

  @Parameter(defaultValue = "${plugin.artifactId}", readonly = true)
  private String pluginArtifactId;

  @Parameter(defaultValue = "${plugin.version}", readonly = true)
  private String pluginVersion;

  @Override
  boolean skipGoal() {
    return false;
  }

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    Path base = baseDirectory.toPath();
    StarterFiles files = new StarterFiles(base, modelDirectory.toPath(), goldenDirectory.toPath());
    Coordinates project = new Coordinates(groupId,
        artifactId != null ? artifactId : base.toAbsolutePath().getFileName().toString(), version);
    Coordinates plugin = new Coordinates(pluginGroupId, pluginArtifactId, pluginVersion);
    Optional<ContractDraft> draft;
    StarterFiles.Result result;
    try {
      Path model = files.locateModel(modelFile);
      draft = files.hasContract() ? Optional.empty() : Optional.of(ContractDraft.of(model,
          Optional.ofNullable(sample).map(File::toPath), "-D" + PropertyNames.INIT_SAMPLE + "=request.json"));
      result = files.write(model, StarterFiles.pom(project, plugin), draft.map(DraftYaml::write));
    } catch (DraftException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write the model repo: " + e.getMessage(), e);
    }
    result.written().forEach(file -> getLog().info("Wrote " + base.relativize(file.toAbsolutePath())));
    result.kept().forEach(file -> getLog().info("Kept " + base.relativize(file.toAbsolutePath())
        + ", which exists: init replaces nothing"));
    draft.ifPresent(this::report);
  }

  private void report(ContractDraft draft) {
    getLog().info("Drafted the contract from " + draft.signature()
        + draft.sample().map(sample -> " and runs on " + sample).orElse(""));
    draft.notes().forEach(getLog()::warn);
    getLog().info(draft.hasTodos()
        ? "Next: write the " + draft.todoCount() + " values marked FILL IN in the contract (`mvn validate` names each"
            + " one with its line), add golden pairs, run `mvn validate`"
        : "Next: check the drafted dims, add normalize where the model expects scaled values, add golden pairs"
            + " (`mvn model-contract:record -Dmodelcontract.record=requests/`), run `mvn validate`");
  }
}
