package dev.modelcontract.maven;

import dev.modelcontract.image.DockerEngine;
import dev.modelcontract.image.ImageBuildException;
import dev.modelcontract.image.ImageRequest;
import dev.modelcontract.image.ServingImage;
import dev.modelcontract.image.ServingImageBuilder;
import java.util.Locale;
import java.io.File;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.RemoteRepository;

/** Builds the SageMaker serving image (model, contract, runtime, libtorch) into the local Docker engine. */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildImageMojo extends ImageMojo {

  /**
   * An image with a Java 17+ runtime on glibc 2.29+, present in the local engine. The default is built by
   * container-template/base-image/build.sh from Debian packages alone.
   */
  @Parameter(property = PropertyNames.BASE_IMAGE, defaultValue = "model-contract/base:jre17-bookworm",
      required = true)
  private String baseImage;

  /** Where the build context is staged. */
  @Parameter(defaultValue = "${project.build.directory}/model-contract/image", required = true)
  private File contextDirectory;

  @Parameter(property = PropertyNames.SKIP_BUILD, defaultValue = "false")
  private boolean skip;

  @Parameter(defaultValue = "${plugin.version}", readonly = true)
  private String pluginVersion;

  @Parameter(defaultValue = "${repositorySystemSession}", readonly = true)
  private RepositorySystemSession repositorySession;

  @Parameter(defaultValue = "${project.remotePluginRepositories}", readonly = true)
  private List<RemoteRepository> pluginRepositories;

  @Component
  private RepositorySystem repositorySystem;

  @Override
  boolean skipGoal() {
    return skip;
  }

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    ImageRequest request = new ImageRequest(modelDirectory.toPath(), readContract(), goldenDirectory.toPath(),
        tolerance,
        RuntimeArtifacts.resolve(repositorySystem, repositorySession, pluginRepositories, pluginVersion),
        pluginVersion, baseImage, image, contextDirectory.toPath());
    long started = System.nanoTime();
    try {
      ServingImage built = new ServingImageBuilder(DockerEngine.connect(), getLog()::info).build(request);
      getLog().info(String.format(Locale.ROOT, "Built %s (%s, %d MB) in %.1f s", built.name(), built.id(),
          built.sizeBytes() / 1_000_000, (System.nanoTime() - started) / 1e9));
    } catch (ImageBuildException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } finally {
      cleanUpDockerSession();
    }
  }
}
