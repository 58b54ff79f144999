package dev.modelcontract.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where Jib reads the base image from and sends the built image to: the local Docker engine, a tar file or a
 * registry, reached with the credentials Docker users have (config.json's auths, credHelpers and credsStore).
 */
final class Destinations {

  private final Optional<DockerEngine> docker;
  private final JibLog jibLog;

  Destinations(Optional<DockerEngine> docker, JibLog jibLog) {
    this.docker = docker;
    this.jibLog = jibLog;
  }

  /** Fails before any work where the image is to go into a local engine and none answers. */
  void requireEngineFor(ImageRequest request) throws ImageBuildException {
    if (request.target().kind() == ImageTarget.Kind.DOCKER && docker.isEmpty()) {
      throw new ImageBuildException("no Docker engine answers to load " + request.imageName() + " into: start one"
          + " (on Linux: `dockerd &` or `systemctl start docker`, or set DOCKER_HOST), or build to a tar or a"
          + " registry with -Dmodelcontract.imageTarget=tar|registry");
    }
  }

  /** A Jib build on top of the base image. */
  JibContainerBuilder from(BaseImage base) throws ImageBuildException {
    return switch (base.kind()) {
      case DOCKER -> Jib.from(docker.orElseThrow().forJib(), DockerDaemonImage.named(reference(base.location())));
      case TAR -> Jib.from(TarImage.at(Path.of(base.location())));
      case REGISTRY -> Jib.from(registryImage(base.location()));
    };
  }

  /** Where the request's image goes. */
  Containerizer to(ImageRequest request) throws ImageBuildException {
    ImageReference name = reference(request.imageName());
    return configured(switch (request.target().kind()) {
      case DOCKER -> Containerizer.to(docker.orElseThrow().forJib(), DockerDaemonImage.named(name));
      case TAR -> Containerizer.to(TarImage.at(request.target().tarFile()).named(name));
      case REGISTRY -> Containerizer.to(registryImage(request.imageName()));
    }, request);
  }

  /** Into an engine under a tag, whatever the request's target: the image that records the class-data archive. */
  Containerizer toEngine(DockerEngine engine, String tag, ImageRequest request) throws ImageBuildException {
    return configured(Containerizer.to(engine.forJib(), DockerDaemonImage.named(reference(tag))), request);
  }

  /** Where the image goes, in words. */
  static String describe(ImageTarget target) {
    return switch (target.kind()) {
      case DOCKER -> "the local Docker engine";
      case TAR -> target.tarFile().toString();
      case REGISTRY -> "its registry";
    };
  }

  static ImageReference reference(String name) throws ImageBuildException {
    try {
      return ImageReference.parse(name);
    } catch (InvalidImageReferenceException e) {
      throw new ImageBuildException("'" + name + "' is not an image reference (registry/name:tag)", e);
    }
  }

  private RegistryImage registryImage(String name) throws ImageBuildException {
    ImageReference reference = reference(name);
    CredentialRetrieverFactory credentials = CredentialRetrieverFactory.forImage(reference, jibLog);
    return RegistryImage.named(reference)
        .addCredentialRetriever(credentials.dockerConfig())
        .addCredentialRetriever(credentials.wellKnownCredentialHelpers());
  }

  /** The layer cache is shared by every build of the user: an unchanged libtorch is not compressed again. */
  private Containerizer configured(Containerizer containerizer, ImageRequest request) {
    return containerizer.setToolName("model-contract-maven-plugin")
        .setToolVersion(request.runtimeVersion())
        .setApplicationLayersCache(UserCache.folder("jib-layers"))
        .setAllowInsecureRegistries(request.target().allowInsecureRegistries())
        .addEventHandler(LogEvent.class, jibLog);
  }
}
