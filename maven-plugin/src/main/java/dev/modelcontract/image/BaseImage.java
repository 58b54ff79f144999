package dev.modelcontract.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The base image as the build names it, Jib's way: {@code docker://NAME} in the local Docker engine,
 * {@code tar://PATH} a {@code docker save} tar, anything else (or {@code registry://NAME}) in a registry.
 *
 * @param reference what the build was given
 * @param kind where it is
 * @param location the image name, or the tar's path
 */
public record BaseImage(String reference, Kind kind, String location) {

  /** Where a base image is read from. */
  public enum Kind { DOCKER, TAR, REGISTRY }

  /**
   * What the SBOM and the size report say of a base image, where it can be read.
   *
   * @param name its name
   * @param id its ID (the config's digest), or its name where that is all that is known
   * @param labels its labels
   * @param sizeBytes its size uncompressed, or -1 where unknown
   */
  public record Description(String name, String id, Map<String, String> labels, long sizeBytes) {}

  public static BaseImage parse(String reference) {
    if (reference.startsWith("docker://")) {
      return new BaseImage(reference, Kind.DOCKER, reference.substring("docker://".length()));
    }
    if (reference.startsWith("tar://")) {
      return new BaseImage(reference, Kind.TAR, reference.substring("tar://".length()));
    }
    return new BaseImage(reference, Kind.REGISTRY,
        reference.startsWith("registry://") ? reference.substring("registry://".length()) : reference);
  }

  /**
   * Its ID and labels: from the engine for {@code docker://}, from the tar's image config for {@code tar://};
   * a registry image is described by its name alone (its config is only read while Jib builds).
   *
   * @throws ImageBuildException when the engine has no such image or the tar cannot be read
   */
  Description describe(Optional<DockerEngine> docker) throws ImageBuildException {
    switch (kind) {
      case DOCKER -> {
        if (docker.isEmpty()) {
          throw new ImageBuildException("the base image " + reference + " is read from the local Docker engine, and"
              + " none answers: start one, or name a tar:// or registry base image (docs/tutorial.md, section 'The"
              + " base image')");
        }
        var image = docker.get().inspect(location).orElseThrow(() -> new ImageBuildException("the base image "
            + location + " is not in the local Docker engine: build the default one, or name another with"
            + " -Dmodelcontract.baseImage (docs/tutorial.md, section 'The base image')"));
        Map<String, String> labels = image.getConfig() == null || image.getConfig().getLabels() == null ? Map.of()
            : image.getConfig().getLabels();
        return new Description(location, image.getId(), labels, image.getSize() == null ? -1 : image.getSize());
      }
      case TAR -> {
        return describeTar(Path.of(location));
      }
      default -> {
        return new Description(location, location, Map.of(), -1);
      }
    }
  }

  /** The config a {@code docker save} tar names in its manifest.json. */
  private static Description describeTar(Path tar) throws ImageBuildException {
    if (!Files.isRegularFile(tar)) {
      throw new ImageBuildException("the base image tar " + tar + " does not exist (docs/tutorial.md, section 'The"
          + " base image')");
    }
    JsonMapper json = JsonMapper.builder().build();
    Map<String, byte[]> small = new HashMap<>();
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream entries = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
        if (entry.isFile() && entry.getSize() < (1 << 20) && entry.getName().endsWith(".json")
            || entry.getName().startsWith("blobs/sha256/") && entry.getSize() < (1 << 20)) {
          small.put(entry.getName(), entries.readAllBytes());
        }
      }
      byte[] manifest = small.get("manifest.json");
      if (manifest == null) {
        throw new ImageBuildException("the base image tar " + tar + " has no manifest.json: write it with docker"
            + " save");
      }
      String configName = json.readTree(manifest).path(0).path("Config").asString();
      byte[] config = small.get(configName);
      if (config == null) {
        throw new ImageBuildException("the base image tar " + tar + " lacks its config " + configName);
      }
      JsonNode labels = json.readTree(config).path("config").path("Labels");
      Map<String, String> read = new HashMap<>();
      labels.properties().forEach(label -> read.put(label.getKey(), label.getValue().asString()));
      return new Description(tar.getFileName().toString(), "sha256:" + Sha256.of(config), read,
          Files.size(tar));
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the base image tar " + tar + ": " + e.getMessage(), e);
    }
  }
}
