package dev.modelcontract.maven;

import dev.modelcontract.contract.ContractChanges;
import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.image.ModelArchive;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.commons.io.FileUtils;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * The breaking-change gate: compares the contract with a released one and fails the build on every change that can
 * break the endpoint's callers (an input removed or renamed, a new required input, a dtype changed, a dim bound
 * narrowed, an output removed or reshaped, normalization statistics changed without a new version), one line per
 * change. Additive changes are listed and pass. Nothing is compared until a released contract is named.
 *
 * <p>It reads the contract file and the released contract, nothing the build makes: bound to {@code validate}, it
 * fails a build in seconds, before an image is built (after {@code validate} where it is listed after it), and
 * {@code mvn model-contract:compare} runs it alone.
 */
@Mojo(name = "compare", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class CompareMojo extends ContractMojo {

  /**
   * The released contract: a contract file, or the Maven coordinates {@code groupId:artifactId:version} of a
   * released model repo, whose {@code model.tar.gz} (classifier {@code model}, attached by {@code build}) holds it.
   */
  @Parameter(property = PropertyNames.RELEASED)
  private String released;

  /**
   * The model version the released contract belongs to, when it is given as a file (coordinates carry theirs):
   * normalization statistics may change only with a new version.
   */
  @Parameter(property = PropertyNames.RELEASED_VERSION)
  private String releasedVersion;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.SKIP_COMPARE, defaultValue = "false")
  private boolean skip;

  @Parameter(defaultValue = "${project}", readonly = true)
  private MavenProject project;

  @Parameter(defaultValue = "${repositorySystemSession}", readonly = true)
  private RepositorySystemSession repositorySession;

  @Component
  private RepositorySystem repositorySystem;

  @Override
  boolean skipGoal() {
    return skip;
  }

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    if (released == null || released.isBlank()) {
      getLog().info("No released contract named (-D" + PropertyNames.RELEASED + "=FILE or groupId:artifactId:version):"
          + " nothing to compare");
      return;
    }
    ModelContract current = readContract();
    String[] coordinates = released.split(":");
    boolean isCoordinates = coordinates.length == 3 && !Files.exists(Path.of(released));
    String version = isCoordinates ? coordinates[2] : releasedVersion;
    ModelContract before = isCoordinates ? fromRepository(coordinates) : fromFile(Path.of(released));
    List<ContractChanges.Change> changes = ContractChanges.between(before, current,
        version != null && !version.equals(project.getVersion()));
    String against = released + (version == null ? "" : " (version " + version + ")");
    if (changes.isEmpty()) {
      getLog().info("The contract is the released one's, " + against);
      return;
    }
    changes.forEach(change -> getLog().info(change.toString()));
    List<ContractChanges.Change> breaking = changes.stream().filter(ContractChanges.Change::breaking).toList();
    if (!breaking.isEmpty()) {
      throw new MojoFailureException(breaking.size() + " breaking change" + (breaking.size() == 1 ? "" : "s")
          + " against the released contract " + against + ":\n" + breaking.stream()
          .map(change -> "  " + change.description()).collect(Collectors.joining("\n")));
    }
    getLog().info(changes.size() + " additive change" + (changes.size() == 1 ? "" : "s") + " against " + against);
  }

  private static ModelContract fromFile(Path file) throws MojoFailureException {
    try {
      return new ContractReader().read(file);
    } catch (ContractException e) {
      throw new MojoFailureException("the released contract cannot be read: " + e.getMessage(), e);
    }
  }

  /** The contract inside the released model.tar.gz. */
  private ModelContract fromRepository(String[] coordinates) throws MojoExecutionException, MojoFailureException {
    DefaultArtifact archive = new DefaultArtifact(coordinates[0], coordinates[1], "model", "tar.gz", coordinates[2]);
    File file;
    try {
      file = repositorySystem.resolveArtifact(repositorySession,
          new ArtifactRequest(archive, project.getRemoteProjectRepositories(), null)).getArtifact().getFile();
    } catch (ArtifactResolutionException e) {
      throw new MojoExecutionException("cannot resolve the released model archive " + archive + ": " + e.getMessage()
          + " (build attaches it: the released repo must have been deployed with the build goal)", e);
    }
    Path folder = null;
    try {
      folder = Files.createTempDirectory("released-contract");
      ModelArchive.extract(file.toPath(), folder);
      return fromFile(folder.resolve(ContractReader.FILE_NAME));
    } catch (IOException e) {
      throw new MojoExecutionException("cannot read " + file + ": " + e.getMessage(), e);
    } finally {
      if (folder != null) {
        FileUtils.deleteQuietly(folder.toFile());
      }
    }
  }
}
