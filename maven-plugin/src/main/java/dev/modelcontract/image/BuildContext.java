package dev.modelcontract.image;

import dev.modelcontract.container.ContainerTemplate;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.golden.GoldenCase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/**
 * The staged build context: a folder holding each of the image's layers in the layout {@link ContainerTemplate}
 * gives. Staging empties the folder first, so nothing stale reaches the image.
 *
 * @param folder the folder, {@link ImageRequest#contextDirectory()}
 */
record BuildContext(Path folder) {

  private static final FileTime STAGED_FOLDER_TIME = FileTime.from(Instant.EPOCH);

  /**
   * Stages the serving image's files (model, contract, golden pairs, runtime, libtorch, SBOM) and writes the SBOM
   * to {@link ImageRequest#sbom()}.
   */
  static BuildContext stage(ImageRequest request, LibTorch libtorch, StrippedLibraries stripped,
      BaseImage.Description base) throws ImageBuildException {
    Path context = request.contextDirectory();
    try {
      FileUtils.deleteDirectory(context.toFile());
      Path model = Files.createDirectories(context.resolve(ContainerTemplate.MODEL_DIR));
      stageContract(request, model);
      Path stagedModel = model.resolve(request.contract().model().file());
      Files.createDirectories(stagedModel.getParent());
      Files.copy(request.modelFile(), stagedModel);
      stageRuntime(request, context);
      Path libraries = Files.createDirectories(context.resolve(ContainerTemplate.LIBTORCH_DIR));
      for (Path library : libtorch.libraries()) {
        linkOrCopy(stripped.of(library), libraries.resolve(library.getFileName()));
      }
      Path jni = context.resolve(ContainerTemplate.DJL_CACHE_DIR).resolve(libtorch.jniCachePath());
      Files.createDirectories(jni.getParent());
      linkOrCopy(libtorch.jniLibrary(), jni);
      Files.writeString(context.resolve(ContainerTemplate.SBOM_FILE), ImageSbom.json(request, libtorch, base,
          context), StandardCharsets.UTF_8);
      fixFolderTimes(context);
      Files.createDirectories(request.sbom().toAbsolutePath().getParent());
      Files.copy(context.resolve(ContainerTemplate.SBOM_FILE), request.sbom(), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ImageBuildException("cannot stage the build context in " + context + ": " + e.getMessage(), e);
    }
    return new BuildContext(context);
  }

  /** Stages a stub image's files: the runtime without libtorch, the contract and its golden pairs. */
  static BuildContext stageStub(ImageRequest request) throws ImageBuildException {
    Path context = request.contextDirectory();
    try {
      FileUtils.deleteDirectory(context.toFile());
      stageContract(request, Files.createDirectories(context.resolve(ContainerTemplate.MODEL_DIR)));
      stageRuntime(request, context);
      fixFolderTimes(context);
    } catch (IOException e) {
      throw new ImageBuildException("cannot stage the stub's build context in " + context + ": " + e.getMessage(), e);
    }
    return new BuildContext(context);
  }

  /** The staged files of one layer: a folder, or a single file. */
  Path layer(ContainerTemplate.Layer layer) {
    return folder.resolve(layer.contextPath());
  }

  /** Writes the staged model folder as SageMaker's model.tar.gz. */
  void writeModelArchive(Path archive) throws ImageBuildException {
    try {
      ModelArchive.write(folder.resolve(ContainerTemplate.MODEL_DIR), archive);
    } catch (IOException e) {
      throw new ImageBuildException("cannot write " + archive + ": " + e.getMessage(), e);
    }
  }

  /** Puts the class-data-sharing archive in place, or removes a previous one where there is none. */
  void placeClassArchive(Optional<Path> archive) throws ImageBuildException {
    Path staged = folder.resolve(ContainerTemplate.CLASS_ARCHIVE_FILE);
    try {
      Files.deleteIfExists(staged);
      if (archive.isPresent()) {
        linkOrCopy(archive.get(), staged);
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot stage the class-data-sharing archive: " + e.getMessage(), e);
    }
  }

  /** The contract and the golden pairs (which the serving image replays at every start, on the CPU it landed on). */
  private static void stageContract(ImageRequest request, Path model) throws IOException {
    Files.copy(request.contractFile(), model.resolve(ContractReader.FILE_NAME));
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
   * staged anew each build get one fixed time, so an unchanged libtorch is not compressed again.
   */
  private static void fixFolderTimes(Path context) throws IOException {
    try (Stream<Path> folders = Files.walk(context)) {
      for (Path folder : (Iterable<Path>) folders.filter(Files::isDirectory)::iterator) {
        Files.setLastModifiedTime(folder, STAGED_FOLDER_TIME);
      }
    }
  }

  /** A hard link costs nothing where the cache and the build folder share a disk, and libtorch is large. */
  private static void linkOrCopy(Path source, Path target) throws IOException {
    try {
      Files.createLink(target, source);
    } catch (FileSystemException | UnsupportedOperationException e) {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
