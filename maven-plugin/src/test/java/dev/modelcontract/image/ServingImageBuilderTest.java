package dev.modelcontract.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.container.ContainerTemplate;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging of the build context, without a Docker engine: small fake libtorch files, the example's real model. */
class ServingImageBuilderTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
  private static final Path MODEL_DIR = EXAMPLES.resolve("lstm-two-inputs/model");
  private static final Path TWO_ARGS_MODEL_DIR = EXAMPLES.resolve("two-args-dict/model");
  private static final String BASE_IMAGE = "eclipse-temurin:17-jre";

  @TempDir
  Path dir;

  private Path context;
  private LibTorch libtorch;
  private List<Path> jars;
  private Path jna;

  @BeforeEach
  void fakeLibTorchAndJars() throws IOException {
    Path cache = Files.createDirectories(dir.resolve("djl-cache-source/pytorch/2.7.1-cpu-linux-x86_64"));
    libtorch = new LibTorch(
        List.of(Files.writeString(cache.resolve("libc10.so"), "c10"),
            Files.writeString(cache.resolve("libtorch_cpu.so"), "torch cpu")),
        Files.writeString(cache.resolve("0.36.0-libdjl_torch.so"), "jni"),
        "2.7.1", "cpu", "linux-x86_64", "0.36.0");
    Path repository = Files.createDirectories(dir.resolve("repository"));
    jna = repository.resolve("jna-5.17.0.jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jna))) {
      zip.putNextEntry(new ZipEntry("com/sun/jna/linux-x86-64/libjnidispatch.so"));
      zip.write("dispatch".getBytes(StandardCharsets.UTF_8));
    }
    jars = List.of(Files.writeString(repository.resolve("contract-runtime-0.1.0.jar"), "runtime"),
        Files.writeString(repository.resolve("jackson-databind-3.0.0.jar"), "jackson"), jna);
    context = dir.resolve("context");
  }

  private static ModelContract exampleContract() throws Exception {
    return new ContractReader().read(MODEL_DIR.resolve(ContractReader.FILE_NAME));
  }

  private ImageRequest request(Path modelDirectory, ModelContract contract, List<Path> runtimeJars) {
    return request(modelDirectory, contract, runtimeJars, "lstm-two-inputs:1.0.0");
  }

  private ImageRequest request(Path modelDirectory, ModelContract contract, List<Path> runtimeJars,
      String imageName) {
    return new ImageRequest(modelDirectory, contract, modelDirectory.resolveSibling("golden"), 1e-5, runtimeJars,
        "0.1.0", BASE_IMAGE, imageName, context, context.resolveSibling(ModelArchive.FILE_NAME), true,
        ContainerTemplate.DEFAULT_USER);
  }

  /** Every regular file below the folder, as a relative path with '/' separators. */
  private static List<String> files(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).map(path -> folder.relativize(path).toString().replace('\\', '/'))
          .sorted().toList();
    }
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void contextHoldsModelJarsLibTorchEntrypointAndDockerfileInTheTemplateLayout() throws Exception {
    ServingImageBuilder.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, context);

    assertThat(files(context)).containsExactly(
        "Dockerfile",
        "bin/entrypoint.sh",
        "djl-cache/pytorch/2.7.1-cpu-linux-x86_64/0.36.0-libdjl_torch.so",
        "lib/contract-runtime-0.1.0.jar",
        "lib/jackson-databind-3.0.0.jar",
        "lib/jna-5.17.0.jar",
        "libtorch/libc10.so",
        "libtorch/libtorch_cpu.so",
        "model/golden/batched.json",
        "model/golden/single-step.json",
        "model/golden/unbatched.json",
        "model/model-contract.yaml",
        "model/model.pt",
        "native/libjnidispatch.so");
    assertThat(context.resolve("native/libjnidispatch.so")).hasContent("dispatch");
    assertThat(context.resolve("model/golden/batched.json"))
        .hasSameBinaryContentAs(MODEL_DIR.resolveSibling("golden/batched.json"));
    assertThat(context.resolve("model/model-contract.yaml")).hasSameBinaryContentAs(MODEL_DIR.resolve(
        "model-contract.yaml"));
    assertThat(context.resolve("model/model.pt")).hasSameBinaryContentAs(MODEL_DIR.resolve("model.pt"));
    assertThat(context.resolve("lib/contract-runtime-0.1.0.jar")).hasContent("runtime");
    assertThat(context.resolve("lib/jackson-databind-3.0.0.jar")).hasContent("jackson");
    assertThat(context.resolve("libtorch/libc10.so")).hasContent("c10");
    assertThat(context.resolve("libtorch/libtorch_cpu.so")).hasContent("torch cpu");
    assertThat(context.resolve("djl-cache/pytorch/2.7.1-cpu-linux-x86_64/0.36.0-libdjl_torch.so")).hasContent("jni");
  }

  @Test
  void twoArgsDictExampleIsStagedWithItsOwnModelAndContract() throws Exception {
    ModelContract contract = new ContractReader().read(TWO_ARGS_MODEL_DIR.resolve(ContractReader.FILE_NAME));

    ServingImageBuilder.stage(request(TWO_ARGS_MODEL_DIR, contract, jars, "two-args-dict:1.0.0"), libtorch, context);

    assertThat(files(context.resolve(ContainerTemplate.MODEL_DIR))).containsExactly(
        "golden/batched.json", "golden/min-length.json", "golden/unbatched.json", "model-contract.yaml", "model.pt");
    assertThat(context.resolve("model/model-contract.yaml"))
        .hasSameBinaryContentAs(TWO_ARGS_MODEL_DIR.resolve("model-contract.yaml"));
    assertThat(context.resolve("model/model.pt")).hasSameBinaryContentAs(TWO_ARGS_MODEL_DIR.resolve("model.pt"));
    assertThat(sha256(context.resolve("model/model.pt"))).isNotEqualTo(sha256(MODEL_DIR.resolve("model.pt")));
    assertThat(Files.readString(context.resolve("Dockerfile")))
        .contains("org.opencontainers.image.title=\"two-args-dict:1.0.0\"")
        .contains("dev.modelcontract.contract.sha256=\""
            + sha256(TWO_ARGS_MODEL_DIR.resolve("model-contract.yaml")) + "\"")
        .contains("dev.modelcontract.model.sha256=\"" + sha256(TWO_ARGS_MODEL_DIR.resolve("model.pt")) + "\"");
  }

  @Test
  void entrypointIsTheTemplateScriptAndExecutable() throws Exception {
    ServingImageBuilder.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, context);

    Path entrypoint = context.resolve(ContainerTemplate.BIN_DIR).resolve(ContainerTemplate.ENTRYPOINT);
    assertThat(entrypoint).hasContent(ContainerTemplate.entrypoint());
    assertThat(Files.isExecutable(entrypoint)).isTrue();
  }

  @Test
  void dockerfileStartsFromTheBaseImageAndLabelsTheImageWithTheModelsChecksums() throws Exception {
    ServingImageBuilder.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, context);

    String dockerfile = Files.readString(context.resolve("Dockerfile"));
    assertThat(dockerfile.lines()).contains("FROM " + BASE_IMAGE + " AS runtime");
    assertThat(dockerfile)
        .contains("PYTORCH_VERSION=2.7.1 ", "PYTORCH_FLAVOR=cpu ")
        .contains("org.opencontainers.image.title=\"lstm-two-inputs:1.0.0\"")
        .contains("dev.modelcontract.runtime.version=\"0.1.0\"")
        .contains("dev.modelcontract.contract.sha256=\"" + sha256(MODEL_DIR.resolve("model-contract.yaml")) + "\"")
        .contains("dev.modelcontract.model.sha256=\"" + sha256(MODEL_DIR.resolve("model.pt")) + "\"")
        .contains("MODEL_CONTRACT_GOLDEN_TOLERANCE=1.0E-5")
        .doesNotContainPattern("@[A-Z0-9_]+@");
  }

  @Test
  void stagingAgainRemovesWhatThePreviousStagingLeft() throws Exception {
    ModelContract contract = exampleContract();
    ServingImageBuilder.stage(request(MODEL_DIR, contract, jars), libtorch, context);
    Files.writeString(context.resolve("lib/left-over.jar"), "stale");
    Files.createDirectories(context.resolve("old/folder"));
    Files.writeString(context.resolve("old/folder/file.txt"), "stale");

    ServingImageBuilder.stage(request(MODEL_DIR, contract, List.of(jars.get(0), jna)), libtorch, context);

    assertThat(files(context)).contains("lib/contract-runtime-0.1.0.jar")
        .doesNotContain("lib/jackson-databind-3.0.0.jar", "lib/left-over.jar", "old/folder/file.txt");
    assertThat(context.resolve("old")).doesNotExist();
  }

  @Test
  void restagingLeavesTheLibTorchSourceFilesIntact() throws Exception {
    ModelContract contract = exampleContract();
    ServingImageBuilder.stage(request(MODEL_DIR, contract, jars), libtorch, context);

    ServingImageBuilder.stage(request(MODEL_DIR, contract, jars), libtorch, context);

    assertThat(libtorch.libraries().get(0)).hasContent("c10");
    assertThat(libtorch.jniLibrary()).hasContent("jni");
    assertThat(context.resolve("libtorch/libc10.so")).hasContent("c10");
  }

  @Test
  void modelFileInASubfolderKeepsItsPathBelowTheModelFolder() throws Exception {
    Path model = Files.createDirectories(dir.resolve("model"));
    Files.createDirectories(model.resolve("weights"));
    Files.copy(MODEL_DIR.resolve("model.pt"), model.resolve("weights/lstm.pt"));
    String contract = Files.readString(MODEL_DIR.resolve(ContractReader.FILE_NAME))
        .replace("file: model.pt", "file: weights/lstm.pt");
    Files.writeString(model.resolve(ContractReader.FILE_NAME), contract);

    ServingImageBuilder.stage(
        request(model, new ContractReader().read(model.resolve(ContractReader.FILE_NAME)), jars), libtorch, context);

    assertThat(files(context.resolve(ContainerTemplate.MODEL_DIR)))
        .containsExactly("model-contract.yaml", "weights/lstm.pt");
  }

  @Test
  void runtimeWithoutAJnaJarCannotBeStagedAndTheMessageSaysWhatToDo() throws Exception {
    assertThatThrownBy(() -> ServingImageBuilder.stage(request(MODEL_DIR, exampleContract(), jars.subList(0, 2)),
        libtorch, context))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no JNA jar (jna-*.jar)").hasMessageContaining("section 'Installing the plugin'");
  }

  @Test
  void modelRepoWithoutGoldenPairsGetsAnEmptyGoldenFolder() throws Exception {
    Path model = Files.createDirectories(dir.resolve("bare/model"));
    Files.copy(MODEL_DIR.resolve("model.pt"), model.resolve("model.pt"));
    Files.copy(MODEL_DIR.resolve(ContractReader.FILE_NAME), model.resolve(ContractReader.FILE_NAME));

    ServingImageBuilder.stage(request(model, exampleContract(), jars), libtorch, context);

    assertThat(files(context.resolve(ContainerTemplate.MODEL_DIR))).containsExactly("model-contract.yaml", "model.pt");
    assertThat(context.resolve("model/golden")).isEmptyDirectory();
  }
}
