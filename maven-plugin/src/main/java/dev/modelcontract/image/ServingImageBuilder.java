package dev.modelcontract.image;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import dev.modelcontract.container.ContainerTemplate;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.golden.GoldenCase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.commons.io.FileUtils;

/**
 * Builds a SageMaker serving image: stages the build context from container-template (model and contract, runtime
 * jars, libtorch, entrypoint, Dockerfile), then builds it in the local Docker engine.
 */
public final class ServingImageBuilder {

  private final DockerEngine docker;
  private final Consumer<String> log;

  public ServingImageBuilder(DockerEngine docker, Consumer<String> log) {
    this.docker = docker;
    this.log = log;
  }

  public ServingImage build(ImageRequest request) throws ImageBuildException {
    Optional<InspectImageResponse> baseImage = docker.inspect(request.baseImage());
    if (baseImage.isEmpty()) {
      throw new ImageBuildException("the base image " + request.baseImage() + " is not in the local Docker engine:"
          + " pull or build a Java 17+ image and name it with -Dmodelcontract.baseImage (docs/tutorial.md, section"
          + " 'The base image')");
    }
    Path context = request.contextDirectory();
    try {
      ContainerConfig config = baseImage.get().getConfig();
      Map<String, String> labels = config == null || config.getLabels() == null ? Map.of() : config.getLabels();
      stage(request, LibTorch.loaded(), new StrippedLibraries(StrippedLibraries.defaultCache(), log),
          new ImageSbom.BaseImage(request.baseImage(), baseImage.get().getId(), labels), context);
      Files.createDirectories(request.sbom().toAbsolutePath().getParent());
      Files.copy(context.resolve(ContainerTemplate.SBOM_FILE), request.sbom(), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ImageBuildException("cannot stage the build context in " + context + ": " + e.getMessage(), e);
    }
    try {
      ModelArchive.write(context.resolve(ContainerTemplate.MODEL_DIR), request.modelArchive());
    } catch (IOException e) {
      throw new ImageBuildException("cannot write " + request.modelArchive() + ": " + e.getMessage(), e);
    }
    log.accept("wrote " + request.modelArchive() + " (SageMaker's ModelDataUrl: extracted into "
        + ContainerTemplate.CONTAINER_MODEL_PATH + ")");
    log.accept("building " + request.imageName() + " from " + request.baseImage() + " (context " + context + ")"
        + (request.includeModel() ? "" : ", without the model: it serves the model mounted at "
            + ContainerTemplate.CONTAINER_MODEL_PATH));
    String id;
    try {
      id = docker.build(ContextTar.of(context), request.imageName(), log);
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the build context " + context + ": " + e.getMessage(), e);
    }
    long size = docker.inspect(id).map(image -> image.getSize() == null ? 0L : image.getSize()).orElse(0L);
    layerReport(docker.layers(id), docker.layers(request.baseImage()).size(), request.baseImage()).forEach(log);
    return new ServingImage(request.imageName(), id, size);
  }

  /** Writes the build context; the folder is emptied first so nothing stale reaches the image. */
  static void stage(ImageRequest request, LibTorch libtorch, StrippedLibraries stripped, ImageSbom.BaseImage base,
      Path context) throws IOException {
    FileUtils.deleteDirectory(context.toFile());
    Path model = Files.createDirectories(context.resolve(ContainerTemplate.MODEL_DIR));
    Path contractFile = request.modelDirectory().resolve(ContractReader.FILE_NAME);
    Path modelFile = request.modelDirectory().resolve(request.contract().model().file());
    Files.copy(contractFile, model.resolve(ContractReader.FILE_NAME));
    Path stagedModel = model.resolve(request.contract().model().file());
    Files.createDirectories(stagedModel.getParent());
    Files.copy(modelFile, stagedModel);
    // The image replays these at every start, on the CPU it landed on, before /ping answers 200.
    Path golden = Files.createDirectories(model.resolve(GoldenCase.FOLDER));
    for (GoldenCase pair : GoldenCase.loadAll(request.goldenDirectory())) {
      Files.copy(request.goldenDirectory().resolve(pair.name() + ".json"), golden.resolve(pair.name() + ".json"));
    }

    Path lib = Files.createDirectories(context.resolve(ContainerTemplate.LIB_DIR));
    for (RuntimeJar jar : request.runtimeJars()) {
      Files.copy(jar.file(), lib.resolve(jar.file().getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    JnaDispatchLibrary.extract(request.runtimeJars().stream().map(RuntimeJar::file).toList(),
        Files.createDirectories(context.resolve(ContainerTemplate.NATIVE_DIR)));

    Path libraries = Files.createDirectories(context.resolve(ContainerTemplate.LIBTORCH_DIR));
    for (Path library : libtorch.libraries()) {
      linkOrCopy(stripped.of(library), libraries.resolve(library.getFileName()));
    }
    Path jni = context.resolve(ContainerTemplate.DJL_CACHE_DIR).resolve(libtorch.jniCachePath());
    Files.createDirectories(jni.getParent());
    linkOrCopy(libtorch.jniLibrary(), jni);

    Path entrypoint = Files.createDirectories(context.resolve(ContainerTemplate.BIN_DIR))
        .resolve(ContainerTemplate.ENTRYPOINT);
    Files.writeString(entrypoint, ContainerTemplate.entrypoint(), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(entrypoint, PosixFilePermissions.fromString("rwxr-xr-x"));

    Files.writeString(context.resolve(ContainerTemplate.SBOM_FILE), ImageSbom.json(request, libtorch, base, context),
        StandardCharsets.UTF_8);

    Files.writeString(context.resolve("Dockerfile"), ContainerTemplate.dockerfile(Map.of(
        "BASE_IMAGE", request.baseImage(),
        "GOLDEN_TOLERANCE", Double.toString(request.goldenTolerance()),
        "MODEL_NAME", request.imageName(),
        "LIBTORCH_VERSION", libtorch.version(),
        "LIBTORCH_FLAVOR", libtorch.flavor(),
        "RUNTIME_VERSION", request.runtimeVersion(),
        "CONTRACT_SHA256", sha256(contractFile),
        "MODEL_SHA256", sha256(modelFile),
        "USER", request.user()), request.includeModel()), StandardCharsets.UTF_8);
  }

  /**
   * The image's size layer by layer, oldest first: the base image's layers as one line, then each instruction that
   * added bytes ({@code COPY dir:… in /opt/model-contract/libtorch/} shown as
   * {@code COPY /opt/model-contract/libtorch/}).
   *
   * @param baseLayers how many of the oldest layers are the base image's
   */
  static List<String> layerReport(List<DockerEngine.Layer> layers, int baseLayers, String baseImage) {
    List<String> lines = new ArrayList<>();
    int first = Math.min(baseLayers, layers.size());
    long base = layers.subList(0, first).stream().mapToLong(DockerEngine.Layer::sizeBytes).sum();
    long total = layers.stream().mapToLong(DockerEngine.Layer::sizeBytes).sum();
    lines.add(String.format(Locale.ROOT, "image size by layer (%.1f MB in all):", total / 1e6));
    if (base > 0) {
      lines.add(String.format(Locale.ROOT, "%10.1f MB  base image %s", base / 1e6, baseImage));
    }
    for (DockerEngine.Layer layer : layers.subList(first, layers.size())) {
      if (layer.sizeBytes() > 0) {
        String what = layer.createdBy().replaceFirst("^/bin/sh -c #\\(nop\\) +", "")
            .replaceFirst("^COPY (?:dir|file):[0-9a-f]+ in ", "COPY ").strip();
        lines.add(String.format(Locale.ROOT, "%10.1f %s  %s", layer.sizeBytes() / (layer.sizeBytes() < 1e6 ? 1e3 : 1e6),
            layer.sizeBytes() < 1e6 ? "kB" : "MB", what));
      }
    }
    return lines;
  }

  /** libtorch is 450 MB: a hard link costs nothing where the cache and the build folder share a disk. */
  private static void linkOrCopy(Path source, Path target) throws IOException {
    try {
      Files.createLink(target, source);
    } catch (FileSystemException | UnsupportedOperationException e) {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
