package dev.modelcontract.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
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
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/**
 * Builds a SageMaker serving image with Jib, no Dockerfile and no daemon-side build: stages the model, the runtime's
 * jars, libtorch and the entrypoint in the layout {@link ContainerTemplate} gives, records (or reuses) the
 * class-data-sharing archive, and writes the image to the local Docker engine, a tar file or a registry. The image
 * is reproducible: files and the image carry fixed times, so the same inputs give the same digest.
 */
public final class ServingImageBuilder {

  private static final FileTime STAGED_FOLDER_TIME = FileTime.from(Instant.EPOCH);

  private final Optional<DockerEngine> docker;
  private final Consumer<String> log;

  /**
   * @param docker the local engine where one answers: needed for a {@code docker://} base image and the
   *     {@link ImageTarget.Kind#DOCKER} target, and to record the class-data-sharing archive
   */
  public ServingImageBuilder(Optional<DockerEngine> docker, Consumer<String> log) {
    this.docker = docker;
    this.log = log;
  }

  public ServingImage build(ImageRequest request) throws ImageBuildException {
    requireEngineForTarget(request);
    BaseImage base = BaseImage.parse(request.baseImage());
    BaseImage.Description described = base.describe(docker);
    if (base.kind() == BaseImage.Kind.REGISTRY && !base.location().contains("@sha256:")) {
      log.accept("the base image " + base.location() + " is named by a tag, which its registry may move: name it"
          + " by digest (NAME@sha256:…) for builds that give the same image every time");
    }
    LibTorch libtorch = LibTorch.loaded();
    Path context = request.contextDirectory();
    try {
      stage(request, libtorch, new StrippedLibraries(StrippedLibraries.defaultCache(), log), described, context);
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

    Optional<Path> archive = new ClassDataArchive(ClassDataArchive.defaultCache(), log).archive(
        archiveKey(request, described, libtorch), docker,
        (engine, tag) -> containerize(plan(request, libtorch, base, context, false, true),
            Containerizer.to(engine.forJib(), DockerDaemonImage.named(reference(tag))), request));
    try {
      Files.deleteIfExists(context.resolve(ContainerTemplate.CLASS_ARCHIVE_FILE));
      if (archive.isPresent()) {
        linkOrCopy(archive.get(), context.resolve(ContainerTemplate.CLASS_ARCHIVE_FILE));
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot stage the class-data-sharing archive: " + e.getMessage(), e);
    }

    log.accept("building " + request.imageName() + " from " + request.baseImage() + " into " + where(request)
        + (request.includeModel() ? "" : ", without the model: it serves the model mounted at "
            + ContainerTemplate.CONTAINER_MODEL_PATH));
    JibContainer built = containerize(plan(request, libtorch, base, context, archive.isPresent(),
        request.includeModel()), containerizer(request), request);
    layerReport(base, described, context, archive.isPresent(), request.includeModel()).forEach(log);
    return servingImage(request, built);
  }

  /**
   * Builds a stub image of the request's contract: the runtime without libtorch, the contract and its golden pairs
   * without the model file, started with {@link ContainerTemplate#STUB_COMMAND}. Callers of the endpoint test their
   * code against it in any language: it enforces the contract as the serving image does and answers golden requests
   * with their golden responses, other valid requests with zeros through the contract's output mapping.
   */
  public ServingImage buildStub(ImageRequest request) throws ImageBuildException {
    requireEngineForTarget(request);
    BaseImage base = BaseImage.parse(request.baseImage());
    Path context = request.contextDirectory();
    try {
      FileUtils.deleteDirectory(context.toFile());
      stageContract(request, Files.createDirectories(context.resolve(ContainerTemplate.MODEL_DIR)));
      stageRuntime(request, context);
      fixFolderTimes(context);
    } catch (IOException e) {
      throw new ImageBuildException("cannot stage the stub's build context in " + context + ": " + e.getMessage(), e);
    }
    log.accept("building the stub image " + request.imageName() + " (no model, no libtorch) into " + where(request));
    JibContainerBuilder builder = withLayers(from(base, request), ContainerTemplate.stubLayers(), context);
    Map<String, String> labels;
    try {
      labels = new LinkedHashMap<>(ContainerTemplate.labels(request.imageName(), request.runtimeVersion(),
          sha256(request.modelDirectory().resolve(ContractReader.FILE_NAME)), null));
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the contract: " + e.getMessage(), e);
    }
    labels.put("dev.modelcontract.model.sha256", "none: a stub, which answers without the model");
    JibContainer built = containerize(builder
        .setEnvironment(ContainerTemplate.stubEnvironment())
        .setLabels(labels)
        .setEntrypoint(ContainerTemplate.CONTAINER_ENTRYPOINT)
        .setProgramArguments(List.of(ContainerTemplate.STUB_COMMAND))
        .setUser(request.user())
        .setExposedPorts(Port.tcp(ContainerTemplate.PORT)), containerizer(request), request);
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

  private void requireEngineForTarget(ImageRequest request) throws ImageBuildException {
    if (request.target().kind() == ImageTarget.Kind.DOCKER && docker.isEmpty()) {
      throw new ImageBuildException("no Docker engine answers to load " + request.imageName() + " into: start one"
          + " (on Linux: `dockerd &` or `systemctl start docker`, or set DOCKER_HOST), or build to a tar or a"
          + " registry with -Dmodelcontract.imageTarget=tar|registry");
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

  /** Where the image goes, in words. */
  private static String where(ImageRequest request) {
    return switch (request.target().kind()) {
      case DOCKER -> "the local Docker engine";
      case TAR -> request.target().tarFile().toString();
      case REGISTRY -> "its registry";
    };
  }

  /**
   * The image as Jib builds it: the base, the runtime's layers, the archive (if any), the model (if asked) and the
   * SBOM, with the template's environment, labels and entrypoint.
   */
  JibContainerBuilder plan(ImageRequest request, LibTorch libtorch, BaseImage base, Path context,
      boolean withArchive, boolean withModel) throws ImageBuildException {
    JibContainerBuilder builder = withLayers(from(base, request), ContainerTemplate.layers(withArchive, withModel),
        context);
    Path contractFile = request.modelDirectory().resolve(ContractReader.FILE_NAME);
    Path modelFile = request.modelDirectory().resolve(request.contract().model().file());
    try {
      return builder
          .setEnvironment(ContainerTemplate.environment(libtorch.version(), libtorch.flavor(),
              request.goldenTolerance()))
          .setLabels(ContainerTemplate.labels(request.imageName(), request.runtimeVersion(),
              withModel ? sha256(contractFile) : null, withModel ? sha256(modelFile) : null))
          .setEntrypoint(ContainerTemplate.CONTAINER_ENTRYPOINT)
          .setProgramArguments(List.of())
          .setUser(request.user())
          .setExposedPorts(Port.tcp(ContainerTemplate.PORT));
    } catch (IOException e) {
      throw new ImageBuildException("cannot read " + modelFile + ": " + e.getMessage(), e);
    }
  }

  private static JibContainerBuilder withLayers(JibContainerBuilder builder, List<ContainerTemplate.Layer> layers,
      Path context) throws ImageBuildException {
    try {
      for (ContainerTemplate.Layer layer : layers) {
        builder.addFileEntriesLayer(FileEntriesLayer.builder().setName(layer.name())
            .addEntryRecursive(context.resolve(layer.contextPath()), AbsoluteUnixPath.get(layer.containerPath()),
                (source, target) -> Files.isDirectory(source) || Files.isExecutable(source)
                    ? FilePermissions.DEFAULT_FOLDER_PERMISSIONS : FilePermissions.DEFAULT_FILE_PERMISSIONS)
            .build());
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the staged layers in " + context + ": " + e.getMessage(), e);
    }
    return builder;
  }

  private JibContainerBuilder from(BaseImage base, ImageRequest request) throws ImageBuildException {
    return switch (base.kind()) {
      case DOCKER -> Jib.from(docker.orElseThrow().forJib(), DockerDaemonImage.named(reference(base.location())));
      case TAR -> Jib.from(TarImage.at(Path.of(base.location())));
      case REGISTRY -> Jib.from(registryImage(base.location()));
    };
  }

  private Containerizer containerizer(ImageRequest request) throws ImageBuildException {
    ImageReference name = reference(request.imageName());
    return switch (request.target().kind()) {
      case DOCKER -> Containerizer.to(docker.orElseThrow().forJib(), DockerDaemonImage.named(name));
      case TAR -> Containerizer.to(TarImage.at(request.target().tarFile()).named(name));
      case REGISTRY -> Containerizer.to(registryImage(request.imageName()));
    };
  }

  /** A registry image with the credentials Docker users have: config.json (auths, credHelpers, credsStore). */
  private RegistryImage registryImage(String name) throws ImageBuildException {
    ImageReference reference = reference(name);
    CredentialRetrieverFactory credentials = CredentialRetrieverFactory.forImage(reference, this::jibLog);
    return RegistryImage.named(reference)
        .addCredentialRetriever(credentials.dockerConfig())
        .addCredentialRetriever(credentials.wellKnownCredentialHelpers());
  }

  private JibContainer containerize(JibContainerBuilder plan, Containerizer containerizer, ImageRequest request)
      throws ImageBuildException {
    containerizer.setToolName("model-contract-maven-plugin")
        .setToolVersion(request.runtimeVersion())
        .setApplicationLayersCache(UserCache.folder("jib-layers"))
        .setAllowInsecureRegistries(request.target().allowInsecureRegistries())
        .addEventHandler(LogEvent.class, this::jibLog);
    try {
      return plan.containerize(containerizer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while building " + request.imageName(), e);
    } catch (ExecutionException | RegistryException | IOException
        | com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new ImageBuildException("Jib could not build " + request.imageName() + ": " + cause.getMessage(), cause);
    }
  }

  /**
   * Jib's warnings and errors; its lifecycle, progress and debug lines stay out of the build log, and so does its
   * warning that a base image named by tag may change (said once, by {@link #build}, for registry images only: a
   * local or tar base image is known by its ID, which the SBOM records).
   */
  private void jibLog(LogEvent event) {
    boolean unpinned = event.getMessage().contains("does not use a specific image digest");
    if ((event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN) && !unpinned) {
      log.accept(event.getLevel() + " " + event.getMessage());
    }
  }

  private static ImageReference reference(String name) throws ImageBuildException {
    try {
      return ImageReference.parse(name);
    } catch (InvalidImageReferenceException e) {
      throw new ImageBuildException("'" + name + "' is not an image reference (registry/name:tag)", e);
    }
  }

  /**
   * What the class-data-sharing archive depends on: the base image (its JVM dumps it), the runtime's jars (their
   * classes, paths, sizes and times, which a start checks), the entrypoint; not the model.
   */
  static String archiveKey(ImageRequest request, BaseImage.Description base, LibTorch libtorch)
      throws ImageBuildException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(base.id().getBytes(StandardCharsets.UTF_8));
      digest.update(ContainerTemplate.entrypoint().getBytes(StandardCharsets.UTF_8));
      digest.update(libtorch.version().getBytes(StandardCharsets.UTF_8));
      for (RuntimeJar jar : request.runtimeJars()) {
        digest.update(jar.file().getFileName().toString().getBytes(StandardCharsets.UTF_8));
        digest.update(sha256(jar.file()).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the runtime's jars: " + e.getMessage(), e);
    }
  }

  /** Writes the build context; the folder is emptied first so nothing stale reaches the image. */
  static void stage(ImageRequest request, LibTorch libtorch, StrippedLibraries stripped,
      BaseImage.Description base, Path context) throws IOException {
    FileUtils.deleteDirectory(context.toFile());
    Path model = Files.createDirectories(context.resolve(ContainerTemplate.MODEL_DIR));
    stageContract(request, model);
    Path modelFile = request.modelDirectory().resolve(request.contract().model().file());
    Path stagedModel = model.resolve(request.contract().model().file());
    Files.createDirectories(stagedModel.getParent());
    Files.copy(modelFile, stagedModel);

    stageRuntime(request, context);
    Path libraries = Files.createDirectories(context.resolve(ContainerTemplate.LIBTORCH_DIR));
    for (Path library : libtorch.libraries()) {
      linkOrCopy(stripped.of(library), libraries.resolve(library.getFileName()));
    }
    Path jni = context.resolve(ContainerTemplate.DJL_CACHE_DIR).resolve(libtorch.jniCachePath());
    Files.createDirectories(jni.getParent());
    linkOrCopy(libtorch.jniLibrary(), jni);

    Files.writeString(context.resolve(ContainerTemplate.SBOM_FILE), ImageSbom.json(request, libtorch, base, context),
        StandardCharsets.UTF_8);
    fixFolderTimes(context);
  }

  /** The contract and the golden pairs (which the serving image replays at every start, on the CPU it landed on). */
  private static void stageContract(ImageRequest request, Path model) throws IOException {
    Files.copy(request.modelDirectory().resolve(ContractReader.FILE_NAME), model.resolve(ContractReader.FILE_NAME));
    Path golden = Files.createDirectories(model.resolve(GoldenCase.FOLDER));
    for (GoldenCase pair : GoldenCase.loadAll(request.goldenDirectory())) {
      Files.copy(request.goldenDirectory().resolve(pair.name() + ".json"), golden.resolve(pair.name() + ".json"));
    }
  }

  /** The runtime's jars, JNA's stub and the entrypoint. */
  private static void stageRuntime(ImageRequest request, Path context) throws IOException {
    Path lib = Files.createDirectories(context.resolve(ContainerTemplate.LIB_DIR));
    for (RuntimeJar jar : request.runtimeJars()) {
      // modification times kept: Jib's layer cache knows the jar layer by its files' paths and times
      Files.copy(jar.file(), lib.resolve(jar.file().getFileName()), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.COPY_ATTRIBUTES);
    }
    JnaDispatchLibrary.extract(request.runtimeJars().stream().map(RuntimeJar::file).toList(),
        Files.createDirectories(context.resolve(ContainerTemplate.NATIVE_DIR)));
    Path entrypoint = Files.createDirectories(context.resolve(ContainerTemplate.BIN_DIR))
        .resolve(ContainerTemplate.ENTRYPOINT);
    Files.writeString(entrypoint, ContainerTemplate.entrypoint(), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(entrypoint, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /**
   * Jib's layer cache knows a layer by its entries' paths and modification times, folders included: the folders
   * staged anew each build get one fixed time, so an unchanged libtorch is not compressed again (10 s).
   */
  private static void fixFolderTimes(Path context) throws IOException {
    try (Stream<Path> folders = Files.walk(context)) {
      for (Path folder : (Iterable<Path>) folders.filter(Files::isDirectory)::iterator) {
        Files.setLastModifiedTime(folder, STAGED_FOLDER_TIME);
      }
    }
  }

  /**
   * The image's size layer by layer, uncompressed: the base image (as its engine or tar gives it), then the layers
   * this build adds, by what they hold.
   */
  static List<String> layerReport(BaseImage base, BaseImage.Description described, Path context, boolean withArchive,
      boolean withModel) {
    List<String> lines = new ArrayList<>();
    long total = described.sizeBytes();
    List<String> rows = new ArrayList<>();
    for (ContainerTemplate.Layer layer : ContainerTemplate.layers(withArchive, withModel)) {
      long size = bytes(context.resolve(layer.contextPath()));
      total += size;
      rows.add(String.format(Locale.ROOT, "%s  %s", size(size), layer.containerPath()));
    }
    lines.add(String.format(Locale.ROOT, "image size by layer (%.1f MB in all, uncompressed):", total / 1e6));
    lines.add(String.format(Locale.ROOT, "%s  base image %s", described.sizeBytes() > 0
        ? size(described.sizeBytes()) : "         ?   ", base.reference()));
    lines.addAll(rows);
    return lines;
  }

  private static String size(long bytes) {
    return bytes < 1_000_000 ? String.format(Locale.ROOT, "%10.1f kB", bytes / 1e3)
        : String.format(Locale.ROOT, "%10.1f MB", bytes / 1e6);
  }

  private static long bytes(Path path) {
    try (Stream<Path> files = Files.walk(path)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  /** libtorch is 450 MB: a hard link costs nothing where the cache and the build folder share a disk. */
  private static void linkOrCopy(Path source, Path target) throws IOException {
    try {
      Files.createLink(target, source);
    } catch (FileSystemException | UnsupportedOperationException e) {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
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
