package dev.modelcontract.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.testcontainers.DockerClientFactory;

/** The local Docker engine, reached through Testcontainers' client (the same one the verify goal uses). */
public final class DockerEngine {

  private final DockerClient client;

  private DockerEngine(DockerClient client) {
    this.client = client;
  }

  /** The engine, where one answers. */
  public static Optional<DockerEngine> find() {
    DockerClientFactory factory = DockerClientFactory.instance();
    return factory.isDockerAvailable() ? Optional.of(new DockerEngine(factory.client())) : Optional.empty();
  }

  public Optional<InspectImageResponse> inspect(String image) {
    try {
      return Optional.of(client.inspectImageCmd(image).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** What a container run to its end left: its exit code and output. */
  public record Finished(long exitCode, String output) {}

  /**
   * Runs a container of the image with the given arguments (its own entrypoint) to its end, copies one file out of
   * it, and removes it.
   *
   * @param file the file to copy out, written to {@code copyTo} when the run succeeded
   */
  public Finished runToEnd(String image, List<String> arguments, Duration timeout, String file, Path copyTo)
      throws ImageBuildException {
    String id = client.createContainerCmd(image).withCmd(arguments).exec().getId();
    try {
      client.startContainerCmd(id).exec();
      long exitCode = client.waitContainerCmd(id).exec(new WaitContainerResultCallback())
          .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
      StringBuilder output = new StringBuilder();
      client.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
        @Override
        public void onNext(Frame frame) {
          output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
        }
      }).awaitCompletion(30, TimeUnit.SECONDS);
      if (exitCode == 0) {
        try (InputStream in = client.copyArchiveFromContainerCmd(id, file).exec();
            TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
          if (tar.getNextEntry() == null) {
            throw new ImageBuildException("the container of " + image + " left no " + file);
          }
          Files.copy(tar, copyTo, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return new Finished(exitCode, output.toString());
    } catch (IOException e) {
      throw new ImageBuildException("cannot copy " + file + " out of a container of " + image + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while a container of " + image + " ran", e);
    } catch (DockerClientException e) {
      throw new ImageBuildException("a container of " + image + " did not finish: " + e.getMessage(), e);
    } finally {
      client.removeContainerCmd(id).withForce(true).exec();
    }
  }

  /** Removes an image (its tag), if the engine has it. */
  public void remove(String image) {
    try {
      client.removeImageCmd(image).withForce(true).exec();
    } catch (NotFoundException e) {
      // already gone
    }
  }

  /** Jib's client of this engine, for reading docker:// base images and loading built ones. */
  com.google.cloud.tools.jib.api.DockerClient forJib() {
    return new EngineDockerClient(client);
  }
}
