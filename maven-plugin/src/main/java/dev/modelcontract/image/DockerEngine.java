package dev.modelcontract.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.ImageHistory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;

/** The local Docker engine, reached through Testcontainers' client (the same one the verify goal uses). */
public final class DockerEngine {

  private final DockerClient client;

  private DockerEngine(DockerClient client) {
    this.client = client;
  }

  public static DockerEngine connect() throws ImageBuildException {
    DockerClientFactory factory = DockerClientFactory.instance();
    if (!factory.isDockerAvailable()) {
      throw new ImageBuildException("no Docker engine answers, perhaps you should start one (on Linux: "
          + "`dockerd &` or `systemctl start docker`) or set DOCKER_HOST");
    }
    return new DockerEngine(factory.client());
  }

  public Optional<InspectImageResponse> inspect(String image) {
    try {
      return Optional.of(client.inspectImageCmd(image).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** One layer of an image, oldest first: its size and the instruction that made it. */
  public record Layer(long sizeBytes, String createdBy) {}

  /** The image's layers, oldest (the base image's) first. */
  public List<Layer> layers(String image) {
    List<Layer> layers = new ArrayList<>();
    for (ImageHistory entry : client.imageHistoryCmd(image).exec()) {
      layers.add(0, new Layer(entry.getSize() == null ? 0 : entry.getSize(),
          entry.getCreatedBy() == null ? "" : entry.getCreatedBy()));
    }
    return layers;
  }

  /**
   * Builds an image from an uncompressed tar of the build context; the engine's layer cache applies.
   *
   * @return the image ID
   */
  public String build(InputStream contextTar, String tag, Consumer<String> log) throws ImageBuildException {
    try (contextTar) {
      return client.buildImageCmd(contextTar)
          .withTags(Set.of(tag))
          .withPull(false)
          .withRemove(true)
          .exec(new BuildImageResultCallback() {
            @Override
            public void onNext(BuildResponseItem item) {
              if (item.getStream() != null && !item.getStream().isBlank()) {
                log.accept(item.getStream().stripTrailing());
              }
              super.onNext(item);
            }
          })
          .awaitImageId();
    } catch (DockerClientException e) {
      throw new ImageBuildException("the Docker engine failed to build " + tag + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ImageBuildException("the build context of " + tag + " could not be sent: " + e.getMessage(), e);
    }
  }
}
