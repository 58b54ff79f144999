package dev.modelcontract.maven;

import dev.modelcontract.image.ModelArchive;
import dev.modelcontract.image.ServingImageBuilder;
import java.io.File;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Parameter;
import org.testcontainers.utility.ResourceReaper;

/** The goals that work with the serving image in the local Docker engine: build and verify. */
abstract class ImageMojo extends ContractMojo {

  /** The serving image: built by {@code build}, started by {@code verify}. */
  @Parameter(property = PropertyNames.IMAGE, defaultValue = "${project.artifactId}:${project.version}",
      required = true)
  protected String image;

  /**
   * Whether the model is copied into the image. Without it ({@code false}), the image serves the model directory
   * mounted at /opt/ml/model, where SageMaker extracts the model.tar.gz of {@code ModelDataUrl}; {@code build}
   * writes that archive to {@code target/model-contract/model.tar.gz} either way, and {@code verify} mounts it.
   */
  @Parameter(property = PropertyNames.INCLUDE_MODEL, defaultValue = "true")
  protected boolean includeModel;

  /**
   * Whether the image is a multi-model image for a SageMaker multi-model endpoint: without the model, started as a
   * multi-model endpoint ({@code SAGEMAKER_MULTI_MODEL=true}), serving the model.tar.gz archives of any model repo
   * that SageMaker loads through {@code POST /models}. {@code verify} loads this repo's archive into it. Every serving
   * image carries SageMaker's multi-model label and serves so when started as one; this one holds no model of its
   * own.
   */
  @Parameter(property = PropertyNames.MULTI_MODEL, defaultValue = "false")
  protected boolean multiModel;

  /**
   * Whether {@code build} also builds a stub image, and {@code verify} verifies it too: the runtime and the contract
   * with its golden pairs, without the model or libtorch, for the tests of the endpoint's callers in any language.
   * {@code docker run --rm -p 127.0.0.1:8080:8080 NAME} enforces the contract as the serving image does and answers golden requests
   * with their golden responses, other valid requests with zeros through the contract's output mapping
   * (docs/testing.md). It goes where the serving image goes (as a tar, to {@code stub-image.tar} beside it).
   */
  @Parameter(property = PropertyNames.STUB, defaultValue = "false")
  protected boolean stub;

  /**
   * The model's name on the Open Inference Protocol's routes ({@code /v2/models/NAME}, KServe's), set in the image as
   * MODEL_CONTRACT_MODEL_NAME; in a multi-model image, the name {@code verify} loads the model under.
   */
  @Parameter(property = PropertyNames.MODEL_NAME, defaultValue = "${project.artifactId}", required = true)
  protected String modelName;

  /** The stub image's name: by default the image's, its repository suffixed {@code -stub}. */
  @Parameter(property = PropertyNames.STUB_IMAGE)
  protected String stubImage;

  /**
   * {@link #stubImage}, else the image's name with its repository suffixed {@code -stub}; none where the image is
   * named by digest and {@code stubImage} is not set.
   */
  Optional<String> stubImageName() {
    return stubImage == null || stubImage.isBlank() ? ServingImageBuilder.stubName(image) : Optional.of(stubImage);
  }

  /** The model archive {@code build} writes: the model directory as SageMaker's ModelDataUrl takes it. */
  @Parameter(defaultValue = "${project.build.directory}/model-contract/" + ModelArchive.FILE_NAME, readonly = true)
  protected File modelArchive;

  /** Call before the goal uses Docker; pair with {@link #cleanUpDockerSession}. */
  void enterDockerSession() {
    DockerSession.enter();
  }

  /**
   * Without Ryuk, Testcontainers cleans up in a JVM shutdown hook, which runs after Maven has closed this
   * plugin's class realm and then fails to load its classes; cleaning up now, while the realm is open, loads them
   * in time. The clean-up removes every container of the JVM, so it runs once the last goal using Docker ends
   * ({@link DockerSession}): under {@code mvn -T}, never beneath another module's container.
   */
  void cleanUpDockerSession() {
    DockerSession.exit(() -> {
      try {
        ResourceReaper.instance().performCleanup();
      } catch (RuntimeException e) {
        getLog().debug("Testcontainers clean-up failed: " + e);
      }
    });
  }
}
