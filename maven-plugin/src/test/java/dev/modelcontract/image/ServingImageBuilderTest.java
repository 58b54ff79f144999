package dev.modelcontract.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ContainerBuildPlan;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.LayerObject;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.modelcontract.container.ContainerTemplate;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.hosting.EnvironmentVariable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The build's steps, and a stub's whole build into a tar, without a Docker engine: small fake libtorch files, the
 * example's real model.
 */
class ServingImageBuilderTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
  private static final Path MODEL_DIR = EXAMPLES.resolve("lstm-two-inputs/model");
  private static final Path TWO_ARGS_MODEL_DIR = EXAMPLES.resolve("two-args-dict/model");
  private static final String BASE_IMAGE = "eclipse-temurin:17-jre";
  private static final BaseImage.Description BASE = new BaseImage.Description(BASE_IMAGE, "sha256:0123",
      Map.of(ImageSbom.DEBIAN_PACKAGES_LABEL, "dash=0.5.12-2 libc6=2.36-9+deb12u14",
          ImageSbom.JAVA_LABEL, "openjdk-17-jdk-headless=17.0.19+10-1~deb12u2",
          ImageSbom.JAVA_MODULES_LABEL, "java.base,java.logging"), 70_000_000);

  @TempDir
  Path dir;

  private Path context;
  private LibTorch libtorch;
  private List<RuntimeJar> jars;
  private RuntimeJar jna;

  @BeforeEach
  void fakeLibTorchAndJars() throws IOException {
    Path cache = Files.createDirectories(dir.resolve("djl-cache-source/pytorch/2.7.1-cpu-linux-x86_64"));
    libtorch = new LibTorch(
        List.of(Files.writeString(cache.resolve("libc10.so"), "c10"),
            Files.writeString(cache.resolve("libtorch_cpu.so"), "torch cpu")),
        Files.writeString(cache.resolve("0.36.0-libdjl_torch.so"), "jni"),
        "2.7.1", "cpu", "linux-x86_64", "0.36.0");
    Path repository = Files.createDirectories(dir.resolve("repository"));
    Path jnaJar = repository.resolve("jna-5.17.0.jar");
    jna = new RuntimeJar("net.java.dev.jna", "jna", "5.17.0", jnaJar);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jnaJar))) {
      zip.putNextEntry(new ZipEntry("com/sun/jna/linux-x86-64/libjnidispatch.so"));
      zip.write("dispatch".getBytes(StandardCharsets.UTF_8));
    }
    jars = List.of(new RuntimeJar("dev.modelcontract", "contract-runtime", "0.1.0",
            Files.writeString(repository.resolve("contract-runtime-0.1.0.jar"), "runtime")),
        new RuntimeJar("tools.jackson.core", "jackson-databind", "3.0.0",
            Files.writeString(repository.resolve("jackson-databind-3.0.0.jar"), "jackson")), jna);
    context = dir.resolve("context");
  }

  private StrippedLibraries stripped() {
    return new StrippedLibraries(dir.resolve("stripped-cache"), message -> {});
  }

  private static ModelContract exampleContract() throws Exception {
    return new ContractReader().read(MODEL_DIR.resolve(ContractReader.FILE_NAME));
  }

  private ImageRequest request(Path modelDirectory, ModelContract contract, List<RuntimeJar> runtimeJars) {
    return request(modelDirectory, contract, runtimeJars, "lstm-two-inputs:1.0.0");
  }

  private ImageRequest request(Path modelDirectory, ModelContract contract, List<RuntimeJar> runtimeJars,
      String imageName) {
    return ImageRequest.builder().model(modelDirectory, contract)
        .goldenPairs(modelDirectory.resolveSibling("golden"), 1e-5).runtime(runtimeJars, "0.1.0")
        .baseImage(BASE_IMAGE).imageName(imageName).contextDirectory(context)
        .modelArchive(context.resolveSibling(ModelArchive.FILE_NAME)).sbom(context.resolveSibling("sbom.json"))
        .target(ImageTarget.docker()).includeModel(true).user(ContainerTemplate.DEFAULT_USER).build();
  }

  private static JibContainerBuilder from(String baseImage) throws ImageBuildException {
    return new Destinations(Optional.empty(), new JibLog(message -> {})).from(BaseImage.parse(baseImage));
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
  void contextHoldsModelJarsLibTorchEntrypointAndSbomInTheTemplateLayout() throws Exception {
    BuildContext.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, stripped(), BASE);

    assertThat(files(context)).containsExactly(
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
        "native/libjnidispatch.so",
        "sbom.cdx.json");
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

    BuildContext.stage(request(TWO_ARGS_MODEL_DIR, contract, jars, "two-args-dict:1.0.0"), libtorch, stripped(), BASE);

    assertThat(files(context.resolve(ContainerTemplate.MODEL_DIR))).containsExactly(
        "golden/batched.json", "golden/min-length.json", "golden/unbatched.json", "model-contract.yaml", "model.pt");
    assertThat(context.resolve("model/model-contract.yaml"))
        .hasSameBinaryContentAs(TWO_ARGS_MODEL_DIR.resolve("model-contract.yaml"));
    assertThat(context.resolve("model/model.pt")).hasSameBinaryContentAs(TWO_ARGS_MODEL_DIR.resolve("model.pt"));
    assertThat(sha256(context.resolve("model/model.pt"))).isNotEqualTo(sha256(MODEL_DIR.resolve("model.pt")));
  }

  @Test
  void entrypointIsTheTemplateScriptAndExecutable() throws Exception {
    BuildContext.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, stripped(), BASE);

    Path entrypoint = context.resolve(ContainerTemplate.BIN_DIR).resolve(ContainerTemplate.ENTRYPOINT);
    assertThat(entrypoint).hasContent(ContainerTemplate.entrypoint());
    assertThat(Files.isExecutable(entrypoint)).isTrue();
  }

  @Test
  void planLayersTheRuntimeLargestFirstThenModelAndSbomWithTheTemplatesEnvironmentLabelsAndEntrypoint()
      throws Exception {
    BuildContext staged = BuildContext.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, stripped(),
        BASE);

    ContainerBuildPlan plan = ImagePlan.servingImage(from(BASE_IMAGE), request(MODEL_DIR, exampleContract(), jars),
        libtorch, staged, false, true).toContainerBuildPlan();

    assertThat(plan.getBaseImage()).isEqualTo(BASE_IMAGE);
    assertThat(plan.getLayers()).extracting(LayerObject::getName)
        .containsExactly("libtorch", "djl-jni", "native", "jars", "entrypoint", "model", "sbom");
    assertThat(plan.getEntrypoint()).containsExactly("/opt/model-contract/bin/entrypoint.sh");
    assertThat(plan.getCmd()).isEmpty();
    assertThat(plan.getUser()).isEqualTo("root");
    assertThat(plan.getExposedPorts()).containsExactly(Port.tcp(8080));
    assertThat(plan.getEnvironment()).containsEntry("PYTORCH_VERSION", "2.7.1").containsEntry("PYTORCH_FLAVOR", "cpu")
        .containsEntry("MODEL_CONTRACT_GOLDEN_TOLERANCE", "1.0E-5").containsEntry("DJL_OFFLINE", "true")
        .containsEntry("MODEL_CONTRACT_MODEL_NAME", "model");
    assertThat(plan.getLabels())
        .containsEntry("org.opencontainers.image.title", "lstm-two-inputs:1.0.0")
        .containsEntry("dev.modelcontract.runtime.version", "0.1.0")
        .containsEntry("dev.modelcontract.contract.sha256", sha256(MODEL_DIR.resolve("model-contract.yaml")))
        .containsEntry("dev.modelcontract.model.sha256", sha256(MODEL_DIR.resolve("model.pt")));
    FileEntriesLayer model = (FileEntriesLayer) plan.getLayers().get(5);
    assertThat(model.getEntries()).extracting(entry -> entry.getExtractionPath().toString())
        .contains("/opt/ml/model/model.pt", "/opt/ml/model/model-contract.yaml", "/opt/ml/model/golden/batched.json");
    FileEntriesLayer entrypoint = (FileEntriesLayer) plan.getLayers().get(4);
    assertThat(entrypoint.getEntries()).filteredOn(entry -> entry.getExtractionPath().toString()
        .equals("/opt/model-contract/bin/entrypoint.sh")).singleElement()
        .satisfies(entry -> assertThat(entry.getPermissions().toOctalString()).isEqualTo("755"));
  }

  @Test
  void anImageWithoutItsModelHasNoModelLayerAndSaysSoInItsLabelsButKeepsTheArchive() throws Exception {
    BuildContext staged = BuildContext.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, stripped(),
        BASE);
    Files.writeString(context.resolve(ContainerTemplate.CLASS_ARCHIVE_FILE), "archive");

    ContainerBuildPlan plan = ImagePlan.servingImage(from(BASE_IMAGE), request(MODEL_DIR, exampleContract(), jars),
        libtorch, staged, true, false).toContainerBuildPlan();

    assertThat(plan.getLayers()).extracting(LayerObject::getName)
        .containsExactly("libtorch", "djl-jni", "native", "jars", "entrypoint", "class-archive", "sbom");
    assertThat(plan.getLabels()).containsEntry("dev.modelcontract.model.sha256", "none: the model is mounted");
  }

  @Test
  void theArchiveKeyFollowsTheBaseImageAndJarsButNotTheModel() throws Exception {
    ImageRequest lstm = request(MODEL_DIR, exampleContract(), jars);
    ImageRequest twoArgs = request(TWO_ARGS_MODEL_DIR,
        new ContractReader().read(TWO_ARGS_MODEL_DIR.resolve(ContractReader.FILE_NAME)), jars);

    String key = ClassDataArchive.key(lstm, BASE, libtorch);

    assertThat(ClassDataArchive.key(twoArgs, BASE, libtorch)).isEqualTo(key);
    assertThat(ClassDataArchive.key(lstm, new BaseImage.Description(BASE_IMAGE, "sha256:other", Map.of(), -1),
        libtorch)).isNotEqualTo(key);
    assertThat(ClassDataArchive.key(request(MODEL_DIR, exampleContract(), List.of(jars.get(0), jna)), BASE,
        libtorch)).isNotEqualTo(key);
  }

  @Test
  void stagingAgainRemovesWhatThePreviousStagingLeft() throws Exception {
    ModelContract contract = exampleContract();
    BuildContext.stage(request(MODEL_DIR, contract, jars), libtorch, stripped(), BASE);
    Files.writeString(context.resolve("lib/left-over.jar"), "stale");
    Files.createDirectories(context.resolve("old/folder"));
    Files.writeString(context.resolve("old/folder/file.txt"), "stale");

    BuildContext.stage(request(MODEL_DIR, contract, List.of(jars.get(0), jna)), libtorch, stripped(), BASE);

    assertThat(files(context)).contains("lib/contract-runtime-0.1.0.jar")
        .doesNotContain("lib/jackson-databind-3.0.0.jar", "lib/left-over.jar", "old/folder/file.txt");
    assertThat(context.resolve("old")).doesNotExist();
  }

  @Test
  void restagingLeavesTheLibTorchSourceFilesIntact() throws Exception {
    ModelContract contract = exampleContract();
    BuildContext.stage(request(MODEL_DIR, contract, jars), libtorch, stripped(), BASE);

    BuildContext.stage(request(MODEL_DIR, contract, jars), libtorch, stripped(), BASE);

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

    BuildContext.stage(request(model, new ContractReader().read(model.resolve(ContractReader.FILE_NAME)), jars),
        libtorch, stripped(), BASE);

    assertThat(files(context.resolve(ContainerTemplate.MODEL_DIR)))
        .containsExactly("model-contract.yaml", "weights/lstm.pt");
  }

  @Test
  void runtimeWithoutAJnaJarCannotBeStagedAndTheMessageSaysWhatToDo() throws Exception {
    assertThatThrownBy(() -> BuildContext.stage(request(MODEL_DIR, exampleContract(), jars.subList(0, 2)),
        libtorch, stripped(), BASE))
        .isInstanceOf(ImageBuildException.class).hasCauseInstanceOf(IOException.class)
        .hasMessageContaining("no JNA jar (jna-*.jar)").hasMessageContaining("section 'Installing the plugin'");
  }

  @Test
  void modelRepoWithoutGoldenPairsGetsAnEmptyGoldenFolder() throws Exception {
    Path model = Files.createDirectories(dir.resolve("bare/model"));
    Files.copy(MODEL_DIR.resolve("model.pt"), model.resolve("model.pt"));
    Files.copy(MODEL_DIR.resolve(ContractReader.FILE_NAME), model.resolve(ContractReader.FILE_NAME));

    BuildContext.stage(request(model, exampleContract(), jars), libtorch, stripped(), BASE);

    assertThat(files(context.resolve(ContainerTemplate.MODEL_DIR))).containsExactly("model-contract.yaml", "model.pt");
    assertThat(context.resolve("model/golden")).isEmptyDirectory();
  }

  private JsonNode sbom() throws IOException {
    return JsonMapper.builder().build().readTree(context.resolve(ContainerTemplate.SBOM_FILE).toFile());
  }

  private static JsonNode component(JsonNode sbom, String name) {
    for (JsonNode component : sbom.get("components")) {
      if (component.get("name").asString().equals(name)) {
        return component;
      }
    }
    throw new AssertionError("no component " + name + " in " + sbom);
  }

  @Test
  void sbomNamesEveryJarWithItsCoordinatesAndHashAndLibTorchFileByFileAsStaged() throws Exception {
    BuildContext.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, stripped(), BASE);

    JsonNode sbom = sbom();
    assertThat(sbom.get("bomFormat").asString()).isEqualTo("CycloneDX");
    assertThat(sbom.get("specVersion").asString()).isEqualTo("1.6");
    assertThat(sbom.at("/metadata/component/name").asString()).isEqualTo("lstm-two-inputs");
    assertThat(sbom.at("/metadata/component/version").asString()).isEqualTo("1.0.0");
    JsonNode jackson = component(sbom, "jackson-databind");
    assertThat(jackson.get("purl").asString()).isEqualTo("pkg:maven/tools.jackson.core/jackson-databind@3.0.0");
    assertThat(jackson.at("/hashes/0/content").asString()).isEqualTo(sha256(jars.get(1).file()));
    JsonNode torch = component(sbom, "libtorch");
    assertThat(torch.get("version").asString()).isEqualTo("2.7.1");
    assertThat(torch.get("purl").asString())
        .isEqualTo("pkg:maven/ai.djl.pytorch/pytorch-native-cpu@2.7.1?classifier=linux-x86_64");
    assertThat(torch.get("components")).extracting(file -> file.get("name").asString())
        .containsExactly("libc10.so", "libtorch_cpu.so");
    assertThat(torch.at("/components/1/hashes/0/content").asString())
        .isEqualTo(sha256(context.resolve("libtorch/libtorch_cpu.so")));
    assertThat(component(sbom, "djl_torch").get("purl").asString())
        .isEqualTo("pkg:maven/ai.djl.pytorch/pytorch-jni@2.7.1-0.36.0");
  }

  @Test
  void sbomListsTheBaseImagesDebianPackagesJavaRuntimeAndTheModel() throws Exception {
    BuildContext.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, stripped(), BASE);

    JsonNode sbom = sbom();
    assertThat(component(sbom, "libc6").get("purl").asString())
        .isEqualTo("pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12");
    JsonNode java = component(sbom, "openjdk-17-jdk-headless");
    assertThat(java.get("type").asString()).isEqualTo("platform");
    assertThat(java.get("version").asString()).isEqualTo("17.0.19+10-1~deb12u2");
    assertThat(java.at("/properties/0/value").asString()).isEqualTo("java.base,java.logging");
    JsonNode model = component(sbom, "model.pt");
    assertThat(model.get("type").asString()).isEqualTo("machine-learning-model");
    assertThat(model.at("/hashes/0/content").asString()).isEqualTo(sha256(MODEL_DIR.resolve("model.pt")));
  }

  @Test
  void sbomIsTheSameBytesForTheSameInputsAndNamesAnUnlabelledBaseImageByItsId() throws Exception {
    BuildContext.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, stripped(), BASE);
    byte[] first = Files.readAllBytes(context.resolve(ContainerTemplate.SBOM_FILE));
    BuildContext.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, stripped(), BASE);

    assertThat(context.resolve(ContainerTemplate.SBOM_FILE)).hasBinaryContent(first);
    assertThat(sbom().get("serialNumber").asString()).startsWith("urn:uuid:");

    BuildContext.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, stripped(),
        new BaseImage.Description("eclipse-temurin:17-jre", "sha256:4567", Map.of(), -1));

    JsonNode base = component(sbom(), "eclipse-temurin");
    assertThat(base.get("type").asString()).isEqualTo("container");
    assertThat(base.at("/properties/0/value").asString()).isEqualTo("sha256:4567");
  }

  /** A CycloneDX schema, from the jar of CycloneDX's own library (the schemas it validates with). */
  private static String cycloneDxSchema(String file) {
    try (var in = ServingImageBuilderTest.class.getResourceAsStream("/" + file)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void sbomIsValidCycloneDx16WithAndWithoutBaseImageLabels() throws Exception {
    String prefix = "http://cyclonedx.org/schema/";
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
            registry -> registry.schemas(id -> id.startsWith(prefix) ? cycloneDxSchema(id.substring(prefix.length()))
                : null))
        .getSchema(cycloneDxSchema("bom-1.6.schema.json"), InputFormat.JSON);

    for (BaseImage.Description base : List.of(BASE, new BaseImage.Description("other:1", "sha256:89", Map.of(), -1))) {
      BuildContext.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, stripped(), base);

      assertThat(schema.validate(Files.readString(context.resolve(ContainerTemplate.SBOM_FILE)), InputFormat.JSON))
          .as("base %s", base.name()).isEmpty();
    }
  }

  @Test
  void layerReportGivesTheBaseImageAndEachLayerByWhereItGoes() throws Exception {
    BuildContext staged = BuildContext.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, stripped(),
        BASE);

    List<String> report = LayerReport.lines(BaseImage.parse("docker://" + BASE_IMAGE), BASE, staged, false, true);

    assertThat(report.get(0)).startsWith("image size by layer (70.").endsWith(" MB in all, uncompressed):");
    assertThat(report.get(1)).isEqualTo("      70.0 MB  base image docker://" + BASE_IMAGE);
    assertThat(report.get(2)).isEqualTo("       0.0 kB  /opt/model-contract/libtorch");
    assertThat(report).extracting(line -> line.substring(line.lastIndexOf(' ') + 1)).containsSubsequence(
        "/opt/model-contract/libtorch", "/opt/model-contract/lib", "/opt/ml/model",
        "/opt/model-contract/sbom.cdx.json");
  }


  @Test
  void stagingWritesTheSbomBesideTheBuildAsTheImageHoldsIt() throws Exception {
    ImageRequest request = request(MODEL_DIR, exampleContract(), jars);

    BuildContext.stage(request, libtorch, stripped(), BASE);

    assertThat(request.sbom()).hasSameBinaryContentAs(context.resolve(ContainerTemplate.SBOM_FILE));
  }

  @Test
  void theModelArchiveHoldsTheStagedModelFolder() throws Exception {
    ImageRequest request = request(MODEL_DIR, exampleContract(), jars);
    BuildContext staged = BuildContext.stage(request, libtorch, stripped(), BASE);

    staged.writeModelArchive(request.modelArchive());
    ModelArchive.extract(request.modelArchive(), dir.resolve("opt-ml-model"));

    assertThat(files(dir.resolve("opt-ml-model"))).isEqualTo(files(context.resolve(ContainerTemplate.MODEL_DIR)));
    assertThat(dir.resolve("opt-ml-model/model.pt")).hasSameBinaryContentAs(MODEL_DIR.resolve("model.pt"));
  }

  @Test
  void theClassArchiveIsPlacedWhereThereIsOneAndAStaleOneRemovedWhereThereIsNone() throws Exception {
    BuildContext staged = BuildContext.stage(request(MODEL_DIR, exampleContract(), jars), libtorch, stripped(),
        BASE);
    Path recorded = Files.writeString(dir.resolve("classes.jsa"), "archive");

    staged.placeClassArchive(Optional.of(recorded));
    assertThat(context.resolve(ContainerTemplate.CLASS_ARCHIVE_FILE)).hasContent("archive");

    staged.placeClassArchive(Optional.empty());
    assertThat(context.resolve(ContainerTemplate.CLASS_ARCHIVE_FILE)).doesNotExist();
    assertThat(recorded).hasContent("archive");
  }

  @Test
  void aStubsContextHoldsTheRuntimeAndTheContractWithItsGoldenPairsButNoModelOrLibTorch() throws Exception {
    Files.createDirectories(context.resolve("libtorch"));
    Files.writeString(context.resolve("libtorch/stale.so"), "stale");

    BuildContext.stageStub(request(MODEL_DIR, exampleContract(), jars));

    assertThat(files(context)).containsExactly(
        "bin/entrypoint.sh",
        "lib/contract-runtime-0.1.0.jar",
        "lib/jackson-databind-3.0.0.jar",
        "lib/jna-5.17.0.jar",
        "model/golden/batched.json",
        "model/golden/single-step.json",
        "model/golden/unbatched.json",
        "model/model-contract.yaml",
        "native/libjnidispatch.so");
  }

  @Test
  void aStubsPlanStartsTheEntrypointInStubModeWithoutLibTorchAndSaysItHasNoModel() throws Exception {
    ImageRequest request = request(MODEL_DIR, exampleContract(), jars, "lstm-two-inputs-stub:1.0.0");
    BuildContext staged = BuildContext.stageStub(request);

    ContainerBuildPlan plan = ImagePlan.stubImage(from(BASE_IMAGE), request, staged).toContainerBuildPlan();

    assertThat(plan.getLayers()).extracting(LayerObject::getName)
        .containsExactly("native", "jars", "entrypoint", "model");
    assertThat(plan.getEntrypoint()).containsExactly("/opt/model-contract/bin/entrypoint.sh");
    assertThat(plan.getCmd()).containsExactly("stub");
    assertThat(plan.getUser()).isEqualTo("root");
    assertThat(plan.getExposedPorts()).containsExactly(Port.tcp(8080));
    assertThat(plan.getEnvironment()).containsEntry(EnvironmentVariable.MODEL_CONTRACT_STUB_IMAGE.name(), "true")
        .containsEntry("DJL_OFFLINE", "true").doesNotContainKey("PYTORCH_VERSION");
    assertThat(plan.getLabels())
        .containsEntry("org.opencontainers.image.title", "lstm-two-inputs-stub:1.0.0")
        .containsEntry("dev.modelcontract.contract.sha256", sha256(MODEL_DIR.resolve("model-contract.yaml")))
        .containsEntry("dev.modelcontract.model.sha256", "none: a stub, which answers without the model");
  }

  @Test
  void aStubImageIsBuiltIntoATarFromATarBaseWithoutADockerEngine() throws Exception {
    Path baseTar = dir.resolve("base.tar");
    Jib.fromScratch().containerize(Containerizer.to(TarImage.at(baseTar).named("base:1")));
    ImageRequest image = request(MODEL_DIR, exampleContract(), jars).toBuilder().baseImage("tar://" + baseTar)
        .target(new ImageTarget(ImageTarget.Kind.TAR, dir.resolve("image.tar"), false)).build();
    List<String> log = new ArrayList<>();

    ServingImage stub = new ServingImageBuilder(Optional.empty(), log::add)
        .buildStub(image.forStub("lstm-two-inputs-stub:1.0.0"));

    assertThat(stub.name()).isEqualTo("lstm-two-inputs-stub:1.0.0");
    assertThat(stub.id()).startsWith("sha256:");
    assertThat(stub.sizeBytes()).isEqualTo(-1);
    assertThat(log).contains("building the stub image lstm-two-inputs-stub:1.0.0 (no model, no libtorch) into "
        + dir.resolve("stub-image.tar"));
    assertThat(files(dir.resolve("stub-image"))).contains("model/model-contract.yaml").doesNotContain("model/model.pt");
    JsonNode config = tarImageConfig(dir.resolve("stub-image.tar"));
    assertThat(config.at("/config/Cmd/0").asString()).isEqualTo("stub");
    assertThat(config.at("/config/Labels").get("dev.modelcontract.model.sha256").asString())
        .isEqualTo("none: a stub, which answers without the model");
  }

  /** The image config a docker-load tar names in its manifest.json. */
  private static JsonNode tarImageConfig(Path tar) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (entry.getName().endsWith(".json")) {
          entries.put(entry.getName(), in.readAllBytes());
        }
      }
    }
    JsonMapper json = JsonMapper.builder().build();
    String config = json.readTree(entries.get("manifest.json")).path(0).path("Config").asString();
    return json.readTree(entries.get(config));
  }

  @Test
  void aStubIsNamedAfterItsImageInTheSameRegistryWithTheSameTag() {
    assertThat(ServingImageBuilder.stubName("lstm-two-inputs:1.0.0")).hasValue("lstm-two-inputs-stub:1.0.0");
    assertThat(ServingImageBuilder.stubName("127.0.0.1:5000/team/forecast:2"))
        .hasValue("127.0.0.1:5000/team/forecast-stub:2");
    assertThat(ServingImageBuilder.stubName("127.0.0.1:5000/forecast")).hasValue("127.0.0.1:5000/forecast-stub");
    assertThat(ServingImageBuilder.stubName("127.0.0.1:5000/forecast@sha256:" + "a".repeat(64))).isEmpty();
  }
}
