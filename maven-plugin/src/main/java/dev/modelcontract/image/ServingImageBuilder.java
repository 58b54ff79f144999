package dev.modelcontract.image;

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
import java.util.HexFormat;
import java.util.Map;
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
    if (docker.inspect(request.baseImage()).isEmpty()) {
      throw new ImageBuildException("the base image " + request.baseImage() + " is not in the local Docker engine:"
          + " pull or build a Java 17+ image and name it with -Dmodelcontract.baseImage (docs/tutorial.md, section"
          + " 'The base image')");
    }
    Path context = request.contextDirectory();
    try {
      stage(request, LibTorch.loaded(), context);
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
    return new ServingImage(request.imageName(), id, size);
  }

  /** Writes the build context; the folder is emptied first so nothing stale reaches the image. */
  static void stage(ImageRequest request, LibTorch libtorch, Path context) throws IOException {
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
    for (Path jar : request.runtimeJars()) {
      Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    JnaDispatchLibrary.extract(request.runtimeJars(),
        Files.createDirectories(context.resolve(ContainerTemplate.NATIVE_DIR)));

    Path libraries = Files.createDirectories(context.resolve(ContainerTemplate.LIBTORCH_DIR));
    for (Path library : libtorch.libraries()) {
      linkOrCopy(library, libraries.resolve(library.getFileName()));
    }
    Path jni = context.resolve(ContainerTemplate.DJL_CACHE_DIR).resolve(libtorch.jniCachePath());
    Files.createDirectories(jni.getParent());
    linkOrCopy(libtorch.jniLibrary(), jni);

    Path entrypoint = Files.createDirectories(context.resolve(ContainerTemplate.BIN_DIR))
        .resolve(ContainerTemplate.ENTRYPOINT);
    Files.writeString(entrypoint, ContainerTemplate.entrypoint(), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(entrypoint, PosixFilePermissions.fromString("rwxr-xr-x"));

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
