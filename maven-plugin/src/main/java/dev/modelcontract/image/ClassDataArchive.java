package dev.modelcontract.image;

import dev.modelcontract.container.ContainerTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The image's class-data-sharing archive: the classes a start of the server loads (the JDK's and the runtime's),
 * dumped by the base image's own JVM, which every later start maps instead of loading them, so the first /ping
 * answers sooner. Recording it means running the image once: Jib builds a training image into the Docker engine,
 * its entrypoint's {@code record-classes} mode serves the golden requests to itself and dumps the archive, and the
 * archive is kept in a cache keyed by what it depends on (the base image, the runtime's jars, the entrypoint; not
 * the model), so a build whose only change is the model runs nothing and the same inputs give the same bytes.
 * Without a Docker engine the image is built without one.
 */
final class ClassDataArchive {

  private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(5);
  private static final String IN_CONTAINER = "/tmp/" + ContainerTemplate.CLASS_ARCHIVE_FILE;

  /** Builds the training image (the serving image without archive, with the model) into the engine under a tag. */
  interface TrainingImage {
    void buildInto(DockerEngine docker, String tag) throws ImageBuildException;
  }

  private final Path cache;
  private final Consumer<String> log;

  ClassDataArchive(Path cache, Consumer<String> log) {
    this.cache = cache;
    this.log = log;
  }

  /** The user's cache folder. */
  static Path defaultCache() {
    return UserCache.folder("class-archives");
  }

  /**
   * What the archive depends on: the base image (its JVM dumps it), the runtime's jars (their classes, paths, sizes
   * and times, which a start checks), the entrypoint, libtorch's version; not the model.
   */
  static String key(ImageRequest request, BaseImage.Description base, LibTorch libtorch) throws ImageBuildException {
    MessageDigest digest = Sha256.digest();
    digest.update(base.id().getBytes(StandardCharsets.UTF_8));
    digest.update(ContainerTemplate.entrypoint().getBytes(StandardCharsets.UTF_8));
    digest.update(libtorch.version().getBytes(StandardCharsets.UTF_8));
    try {
      for (RuntimeJar jar : request.runtimeJars()) {
        digest.update(jar.file().getFileName().toString().getBytes(StandardCharsets.UTF_8));
        digest.update(Sha256.of(jar.file()).getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the runtime's jars: " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The archive for this key, recorded now if the cache has none.
   *
   * @return empty where no Docker engine answers (the image then starts without an archive)
   */
  Optional<Path> archive(String key, Optional<DockerEngine> docker, TrainingImage training)
      throws ImageBuildException {
    Path cached = cache.resolve(key).resolve(ContainerTemplate.CLASS_ARCHIVE_FILE);
    if (Files.isRegularFile(cached)) {
      return Optional.of(cached);
    }
    if (docker.isEmpty()) {
      log.accept("no Docker engine answers: the image is built without a class-data-sharing archive (first /ping"
          + " about 0.5 s later); build once where one does to record it");
      return Optional.empty();
    }
    String tag = "model-contract-training:" + key.substring(0, 16);
    long started = System.nanoTime();
    try {
      Files.createDirectories(cached.getParent());
      Path recorded = Files.createTempFile(cached.getParent(), "classes", ".jsa");
      try {
        training.buildInto(docker.get(), tag);
        DockerEngine.Finished run = docker.get().runToEnd(tag, List.of(ContainerTemplate.RECORD_CLASSES,
            IN_CONTAINER), TRAINING_TIMEOUT, IN_CONTAINER, recorded);
        if (run.exitCode() != 0) {
          throw new ImageBuildException("recording the class-data-sharing archive failed (exit " + run.exitCode()
              + "); the training start said:\n" + run.output().strip());
        }
        Files.move(recorded, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(recorded);
        docker.get().remove(tag);
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot keep the class-data-sharing archive in " + cached + ": "
          + e.getMessage(), e);
    }
    log.accept(String.format("recorded the class-data-sharing archive in %.1f s (cached in %s)",
        (System.nanoTime() - started) / 1e9, cached.getParent()));
    return Optional.of(cached);
  }
}
