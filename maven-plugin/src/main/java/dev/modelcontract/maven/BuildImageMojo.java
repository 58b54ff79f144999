package dev.modelcontract.maven;

import dev.modelcontract.container.ContainerTemplate;
import dev.modelcontract.image.DockerEngine;
import dev.modelcontract.image.ImageBuildException;
import dev.modelcontract.image.ImageRequest;
import dev.modelcontract.image.ServingImage;
import dev.modelcontract.image.ServingImageBuilder;
import java.io.File;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.RemoteRepository;

/** Builds the SageMaker serving image (model, contract, runtime, libtorch) into the local Docker engine. */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildImageMojo extends ImageMojo {

  /**
   * An image with a Java 17+ runtime on glibc 2.29+, present in the local engine (docs/tutorial.md, section 'The
   * base image'). The default is built from Debian packages alone by the source tree's base-image script.
   */
  @Parameter(property = PropertyNames.BASE_IMAGE, defaultValue = "model-contract/base:jre17-bookworm-slim",
      required = true)
  private String baseImage;

  /** Where the build context is staged (emptied first): Dockerfile, entrypoint, libtorch, runtime jars, model. */
  @Parameter(defaultValue = "${project.build.directory}/model-contract/image", required = true)
  private File contextDirectory;

  /**
   * Where the image's CycloneDX SBOM is written (the image holds the same file at /opt/model-contract/sbom.cdx.json);
   * attached to the build with the classifier {@code cyclonedx}.
   */
  @Parameter(defaultValue = "${project.build.directory}/model-contract/sbom.cdx.json", required = true)
  private File sbom;

  /**
   * The user the image runs as. SageMaker's hosting contract expects root (the default); for platforms that require
   * a non-root user (Kubernetes with runAsNonRoot), e.g. {@code 65534:65534}. The image works read-only either way.
   */
  @Parameter(property = PropertyNames.USER, defaultValue = ContainerTemplate.DEFAULT_USER, required = true)
  private String user;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.SKIP_BUILD, defaultValue = "false")
  private boolean skip;

  @Parameter(defaultValue = "${project}", readonly = true)
  private MavenProject project;

  @Component
  private MavenProjectHelper projectHelper;

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
        pluginVersion, baseImage, image, contextDirectory.toPath(), modelArchive.toPath(), sbom.toPath(), includeModel,
        user);
    long started = System.nanoTime();
    enterDockerSession();
    try {
      ServingImage built = new ServingImageBuilder(DockerEngine.connect(), getLog()::info).build(request);
      // Deployed with the project: the model.tar.gz a SageMaker Model's ModelDataUrl points at.
      projectHelper.attachArtifact(project, "tar.gz", "model", modelArchive);
      projectHelper.attachArtifact(project, "json", "cyclonedx", sbom);
      getLog().info(String.format(Locale.ROOT, "Built %s (%s, %d MB) in %.1f s", built.name(), built.id(),
          built.sizeBytes() / 1_000_000, (System.nanoTime() - started) / 1e9));
    } catch (ImageBuildException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } finally {
      cleanUpDockerSession();
    }
  }
}
