package dev.modelcontract.maven;

import dev.modelcontract.container.ContainerTemplate;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.image.DockerEngine;
import dev.modelcontract.image.ImageBuildException;
import dev.modelcontract.image.ImageRequest;
import dev.modelcontract.image.ImageTarget;
import dev.modelcontract.image.ServingImage;
import dev.modelcontract.image.ServingImageBuilder;
import dev.modelcontract.server.OpenApiDocument;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
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

/**
 * Builds the SageMaker serving image (model, contract, runtime, libtorch) with Jib: into the local Docker engine, a
 * tar file or a registry.
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildImageMojo extends ImageMojo {

  /**
   * An image with a Java 17+ runtime on glibc 2.29+ and a {@code /bin/sh}, named as Jib names base images:
   * {@code docker://NAME} in the local Docker engine, {@code tar://PATH} a {@code docker save} tar, anything else a
   * registry image (docs/tutorial.md, section 'The base image'). The default is built from Debian packages alone by
   * the source tree's base-image script.
   */
  @Parameter(property = PropertyNames.BASE_IMAGE,
      defaultValue = "docker://model-contract/base:jre17-bookworm-slim", required = true)
  private String baseImage;

  /**
   * Where the image goes: {@code docker} (the local engine, where {@code verify} runs it), {@code tar} (a file
   * {@code docker load -i} takes, at {@code imageTar}) or {@code registry} (pushed to the registry the image name
   * names, with the credentials of Docker's config.json and its credential helpers).
   */
  @Parameter(property = PropertyNames.IMAGE_TARGET, defaultValue = "docker", required = true)
  private String imageTarget;

  /** The tar file {@code imageTarget=tar} writes. */
  @Parameter(property = PropertyNames.IMAGE_TAR, defaultValue = "${project.build.directory}/model-contract/image.tar",
      required = true)
  private File imageTar;

  /**
   * Whether registries (base or target) may be reached over plain HTTP or HTTPS without a trusted certificate: a
   * registry on this machine or a test network.
   */
  @Parameter(property = PropertyNames.ALLOW_INSECURE_REGISTRIES, defaultValue = "false")
  private boolean allowInsecureRegistries;

  /** Where the image's layers are staged (emptied first): entrypoint, libtorch, runtime jars, model, SBOM. */
  @Parameter(defaultValue = "${project.build.directory}/model-contract/image", required = true)
  private File contextDirectory;

  /**
   * Where the image's CycloneDX SBOM is written (the image holds the same file at /opt/model-contract/sbom.cdx.json);
   * attached to the build with the classifier {@code cyclonedx}.
   */
  @Parameter(defaultValue = "${project.build.directory}/model-contract/sbom.cdx.json", required = true)
  private File sbom;

  /**
   * Where the OpenAPI 3.1 description of the image's HTTP API is written (every route, every request form and media
   * type the contract can be sent in with the answer it gets, the problems each route may answer); attached to the
   * build with the classifier {@code openapi}. {@code verify} checks the image's answers against it. A multi-model
   * image's document describes its /models API, the bodies of its invoke routes being each loaded model's own.
   */
  @Parameter(defaultValue = "${project.build.directory}/model-contract/openapi.json", required = true)
  private File openApi;

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
    ModelContract contract = readContract();
    ImageRequest request;
    try {
      request = ImageRequest.builder()
          .model(modelDirectory.toPath(), contract).goldenPairs(goldenDirectory.toPath(), tolerance)
          .runtime(RuntimeArtifacts.resolve(repositorySystem, repositorySession, pluginRepositories, pluginVersion),
              pluginVersion)
          .baseImage(baseImage).imageName(image).target(target()).includeModel(includeModel).multiModel(multiModel).user(user)
          .modelName(modelName).contextDirectory(contextDirectory.toPath()).modelArchive(modelArchive.toPath())
          .sbom(sbom.toPath())
          .build();
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
    writeOpenApi(contract);
    long started = System.nanoTime();
    enterDockerSession();
    try {
      ServingImageBuilder builder = new ServingImageBuilder(DockerEngine.find(), getLog()::info);
      ServingImage built = builder.build(request);
      // Deployed with the project: the model.tar.gz a SageMaker Model's ModelDataUrl points at.
      projectHelper.attachArtifact(project, "tar.gz", "model", modelArchive);
      projectHelper.attachArtifact(project, "json", "cyclonedx", sbom);
      projectHelper.attachArtifact(project, "json", "openapi", openApi);
      getLog().info(String.format(Locale.ROOT, "Built %s (%s, digest %s%s) in %.1f s", built.name(), built.id(),
          built.digest(), megabytes(built), (System.nanoTime() - started) / 1e9));
      if (stub) {
        ServingImage stubBuilt = builder.buildStub(request.forStub(stubImageName().orElseThrow(() -> new
            ImageBuildException("the image " + image + " is named by digest: name the stub image with stubImage"))));
        // published on the loopback address only: a stub answers anyone who can reach the port
        getLog().info(String.format(Locale.ROOT,
            "Built the stub %s (%s%s): docker run --rm -p 127.0.0.1:8080:8080 %s",
            stubBuilt.name(), stubBuilt.id(), megabytes(stubBuilt), stubBuilt.name()));
      }
    } catch (ImageBuildException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } finally {
      cleanUpDockerSession();
    }
  }

  private ImageTarget target() throws MojoExecutionException {
    try {
      return new ImageTarget(ImageTarget.Kind.parse(imageTarget), imageTar.toPath(), allowInsecureRegistries);
    } catch (IllegalArgumentException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }

  private void writeOpenApi(ModelContract contract) throws MojoExecutionException {
    try {
      Files.createDirectories(openApi.toPath().getParent());
      OpenApiDocument document = multiModel ? OpenApiDocument.multiModel() : OpenApiDocument.of(contract, modelName);
      Files.writeString(openApi.toPath(), document.json(project.getArtifactId(), project.getVersion()));
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write " + openApi + ": " + e.getMessage(), e);
    }
  }

  /** ", N MB" where the local engine holds the image, else nothing. */
  private static String megabytes(ServingImage built) {
    return built.sizeBytes() < 0 ? "" : ", " + built.sizeBytes() / 1_000_000 + " MB";
  }
}
