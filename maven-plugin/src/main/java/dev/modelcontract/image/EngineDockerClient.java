package dev.modelcontract.image;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.DockerClient;
import com.google.cloud.tools.jib.api.ImageDetails;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.image.ImageTarball;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Jib's view of the Docker engine, through the Engine API client Testcontainers configured (DOCKER_HOST, the
 * socket, Testcontainers' own settings) instead of the {@code docker} command line: loading the built image and
 * reading a {@code docker://} base image need no CLI on the build host.
 */
final class EngineDockerClient implements DockerClient {

  private final com.github.dockerjava.api.DockerClient client;

  EngineDockerClient(com.github.dockerjava.api.DockerClient client) {
    this.client = client;
  }

  @Override
  public boolean supported(Map<String, String> parameters) {
    return true;
  }

  @Override
  public String load(ImageTarball tarball, Consumer<Long> progress) throws IOException, InterruptedException {
    PipedInputStream in = new PipedInputStream(1 << 20);
    CompletableFuture<Void> written;
    try (PipedOutputStream pipe = new PipedOutputStream(in)) {
      written = CompletableFuture.runAsync(() -> {
        try (OutputStream out = new CountingOutputStream(pipe, progress)) {
          tarball.writeTo(out);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try (in) {
        client.loadImageCmd(in).exec();
      } catch (DockerException e) {
        throw new IOException("the Docker engine refused the image: " + e.getMessage(), e);
      }
    }
    try {
      written.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("cannot write the image to the Docker engine: " + e.getCause().getMessage(), e.getCause());
    }
    return "";
  }

  @Override
  public void save(ImageReference image, Path outputPath, Consumer<Long> progress) throws IOException {
    try (InputStream in = client.saveImageCmd(image.toString()).exec()) {
      long copied = Files.copy(in, outputPath);
      progress.accept(copied);
    } catch (NotFoundException e) {
      throw new IOException("the Docker engine has no image " + image, e);
    }
  }

  @Override
  public ImageDetails inspect(ImageReference image) throws IOException {
    InspectImageResponse response;
    try {
      response = client.inspectImageCmd(image.toString()).exec();
    } catch (NotFoundException e) {
      throw new IOException("the Docker engine has no image " + image, e);
    }
    long size = response.getSize() == null ? 0 : response.getSize();
    String id = response.getId();
    List<String> layers = response.getRootFS() == null || response.getRootFS().getLayers() == null ? List.of()
        : response.getRootFS().getLayers();
    return new ImageDetails() {
      @Override
      public long getSize() {
        return size;
      }

      @Override
      public DescriptorDigest getImageId() throws DigestException {
        return DescriptorDigest.fromDigest(id);
      }

      @Override
      public List<DescriptorDigest> getDiffIds() throws DigestException {
        List<DescriptorDigest> diffIds = new ArrayList<>();
        for (String layer : layers) {
          diffIds.add(DescriptorDigest.fromDigest(layer));
        }
        return diffIds;
      }
    };
  }

  /** Reports how many bytes went to the engine, as Jib's progress display expects. */
  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    private final Consumer<Long> progress;

    CountingOutputStream(OutputStream out, Consumer<Long> progress) {
      super(out);
      this.progress = progress;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      progress.accept((long) length);
    }

    @Override
    public void write(int value) throws IOException {
      out.write(value);
      progress.accept(1L);
    }
  }
}
