package dev.modelcontract.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import dev.modelcontract.container.ContainerTemplate;
import dev.modelcontract.hosting.SageMakerHosting;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Builds a SageMaker serving image with Jib, no Dockerfile and no daemon-side build, in a few steps: a
 * {@link BuildContext} staged in the layout {@link ContainerTemplate} gives, the {@link ClassDataArchive} recorded or
 * reused, an {@link ImagePlan} of layers, environment and labels, sent to its {@link Destinations} (the local Docker
 * engine, a tar file or a registry), and a {@link LayerReport}. Files and the image carry fixed times, so the same
 * inputs give the same digest.
 */
public final class ServingImageBuilder {

  private final Optional<DockerEngine> docker;
  private final Consumer<String> log;
  private final Destinations destinations;

  /**
   * @param docker the local engine where one answers: needed for a {@code docker://} base image and the
   *     {@link ImageTarget.Kind#DOCKER} target, and to record the class-data-sharing archive
   */
  public ServingImageBuilder(Optional<DockerEngine> docker, Consumer<String> log) {
    this.docker = docker;
    this.log = log;
    this.destinations = new Destinations(docker, new JibLog(log));
  }

  public ServingImage build(ImageRequest request) throws ImageBuildException {
    destinations.requireEngineFor(request);
    BaseImage base = BaseImage.parse(request.baseImage());
    BaseImage.Description described = base.describe(docker);
    if (base.kind() == BaseImage.Kind.REGISTRY && !base.location().contains("@sha256:")) {
      log.accept("the base image " + base.location() + " is named by a tag, which its registry may move: name it"
          + " by digest (NAME@sha256:…) for builds that give the same image every time");
    }
    LibTorch libtorch = LibTorch.loaded();
    BuildContext context = BuildContext.stage(request, libtorch,
        new StrippedLibraries(StrippedLibraries.defaultCache(), log), described);
    context.writeModelArchive(request.modelArchive());
    log.accept("wrote " + request.modelArchive() + " (SageMaker's ModelDataUrl: extracted into "
        + SageMakerHosting.MODEL_DIRECTORY + ")");
    Optional<Path> archive = new ClassDataArchive(ClassDataArchive.defaultCache(), log).archive(
        ClassDataArchive.key(request, described, libtorch), docker, (engine, tag) -> containerize(
            ImagePlan.servingImage(destinations.from(base), request, libtorch, context, false, true),
            destinations.toEngine(engine, tag, request), request.imageName()));
    context.placeClassArchive(archive);

    log.accept("building " + request.imageName() + " from " + request.baseImage() + " into "
        + Destinations.describe(request.target()) + (request.multiModel()
            ? ", a multi-model image: it serves the model archives POST /models loads"
            : request.includeModel() ? ""
            : ", without the model: it serves the model mounted at " + SageMakerHosting.MODEL_DIRECTORY));
    JibContainer built = containerize(ImagePlan.servingImage(destinations.from(base), request, libtorch, context,
        archive.isPresent(), request.includeModel()), destinations.to(request), request.imageName());
    LayerReport.lines(base, described, context, archive.isPresent(), request.includeModel()).forEach(log);
    return servingImage(request, built);
  }

  /**
   * Builds a stub image of the request's contract: the runtime without libtorch, the contract and its golden pairs
   * without the model file, started with {@link dev.modelcontract.hosting.ImageCommand#STUB}. Callers of the endpoint test their
   * code against it in any language: it enforces the contract as the serving image does and answers golden requests
   * with their golden responses, other valid requests with zeros through the contract's output mapping.
   *
   * @param request the stub's request, e.g. {@link ImageRequest#forStub} of the serving image's
   */
  public ServingImage buildStub(ImageRequest request) throws ImageBuildException {
    destinations.requireEngineFor(request);
    BaseImage base = BaseImage.parse(request.baseImage());
    BuildContext context = BuildContext.stageStub(request);
    log.accept("building the stub image " + request.imageName() + " (no model, no libtorch) into "
        + Destinations.describe(request.target()));
    JibContainer built = containerize(ImagePlan.stubImage(destinations.from(base), request, context),
        destinations.to(request), request.imageName());
    return servingImage(request, built);
  }

  /**
   * The default name of a serving image's stub: its repository suffixed {@code -stub}, in the same registry and with
   * the same tag, e.g. {@code 127.0.0.1:5000/forecast:1.0} → {@code 127.0.0.1:5000/forecast-stub:1.0}; none for an
   * image named by digest, which names that image alone.
   */
  public static Optional<String> stubName(String image) {
    int repository = image.lastIndexOf('/') + 1;
    if (image.indexOf('@', repository) >= 0) {
      return Optional.empty();
    }
    int tag = image.indexOf(':', repository);
    return Optional.of(tag < 0 ? image + "-stub" : image.substring(0, tag) + "-stub" + image.substring(tag));
  }

  private static JibContainer containerize(JibContainerBuilder plan, Containerizer containerizer, String imageName)
      throws ImageBuildException {
    try {
      return plan.containerize(containerizer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while building " + imageName, e);
    } catch (ExecutionException | RegistryException | IOException | CacheDirectoryCreationException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new ImageBuildException("Jib could not build " + imageName + ": " + cause.getMessage(), cause);
    }
  }

  /** What was built; its size where the local engine holds it (-1 elsewhere). */
  private ServingImage servingImage(ImageRequest request, JibContainer built) {
    long size = request.target().kind() == ImageTarget.Kind.DOCKER
        ? docker.orElseThrow().inspect(request.imageName())
            .map(image -> image.getSize() == null ? 0L : image.getSize()).orElse(0L)
        : -1;
    return new ServingImage(request.imageName(), built.getImageId().toString(), built.getDigest().toString(), size);
  }
}
