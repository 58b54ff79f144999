package dev.modelcontract.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.hosting.EnvironmentVariable;
import dev.modelcontract.hosting.ImageCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerTemplateTest {

  @Test
  void runtimeLayersComeLargestFirstAndTheModelAndSbomLast() {
    List<ContainerTemplate.Layer> layers = new ArrayList<>(ContainerTemplate.RUNTIME_LAYERS);
    layers.add(ContainerTemplate.CLASS_ARCHIVE_LAYER);
    layers.add(ContainerTemplate.MODEL_LAYER);
    layers.add(ContainerTemplate.SBOM_LAYER);

    assertThat(layers).extracting(ContainerTemplate.Layer::containerPath).containsExactly(
        "/opt/model-contract/libtorch", "/opt/model-contract/djl-cache", "/opt/model-contract/native",
        "/opt/model-contract/lib", "/opt/model-contract/bin", "/opt/model-contract/classes.jsa", "/opt/ml/model",
        "/opt/model-contract/sbom.cdx.json");
    assertThat(ContainerTemplate.CONTAINER_ENTRYPOINT).isEqualTo("/opt/model-contract/bin/entrypoint.sh");
  }

  @Test
  void aStubImageHasNeitherLibtorchNorDjlsJniLibraryAndKeepsDjlOffline() {
    assertThat(ContainerTemplate.stubLayers()).extracting(ContainerTemplate.Layer::containerPath).containsExactly(
        "/opt/model-contract/native", "/opt/model-contract/lib", "/opt/model-contract/bin", "/opt/ml/model");
    assertThat(ContainerTemplate.stubEnvironment("lstm"))
        .containsEntry("DJL_OFFLINE", "true")
        .containsEntry("OPT_OUT_TRACKING", "true")
        .containsEntry("MODEL_CONTRACT_MODEL_NAME", "lstm")
        .containsEntry("MODEL_CONTRACT_STUB_IMAGE", "true")
        .doesNotContainKey("PYTORCH_LIBRARY_PATH");
    assertThat(ContainerTemplate.environment("lstm", "2.7.1", "cpu", 1e-5, false)).doesNotContainKey("MODEL_CONTRACT_STUB_IMAGE");
  }

  @Test
  void environmentKeepsDjlOfflineAndPointsItAtTheExtractedLibtorch() {
    assertThat(ContainerTemplate.environment("lstm", "2.7.1", "cpu", 1e-5, false))
        .containsEntry("DJL_OFFLINE", "true")
        .containsEntry("OPT_OUT_TRACKING", "true")
        .containsEntry("PYTORCH_LIBRARY_PATH", "/opt/model-contract/libtorch")
        .containsEntry("PYTORCH_VERSION", "2.7.1")
        .containsEntry("PYTORCH_FLAVOR", "cpu")
        .containsEntry("MODEL_CONTRACT_MODEL_NAME", "lstm")
        .containsEntry("MODEL_CONTRACT_GOLDEN_TOLERANCE", "1.0E-5")
        .as("the server chooses between KServe's /mnt/models and SageMaker's /opt/ml/model")
        .doesNotContainKey("MODEL_CONTRACT_MODEL_DIR")
        .as("a single-model image starts as a multi-model endpoint only where SageMaker starts it as one")
        .doesNotContainKey("SAGEMAKER_MULTI_MODEL");
    assertThat(ContainerTemplate.environment("lstm", "2.7.1", "cpu", 1e-5, true))
        .containsEntry("SAGEMAKER_MULTI_MODEL", "true");
    assertThat(ContainerTemplate.entrypoint())
        .contains("-Dai.djl.offline=true")
        .contains("-DOPT_OUT_TRACKING=true");
  }

  @Test
  void labelsNameTheContractAndModelOrSayTheModelIsMounted() {
    assertThat(ContainerTemplate.labels("lstm:1", "0.1.0", "c0ffee", "beef"))
        .containsEntry("org.opencontainers.image.title", "lstm:1")
        .containsEntry("dev.modelcontract.runtime.version", "0.1.0")
        .containsEntry("dev.modelcontract.contract.sha256", "c0ffee")
        .containsEntry("dev.modelcontract.model.sha256", "beef");
    assertThat(ContainerTemplate.labels("lstm:1", "0.1.0", null, null))
        .containsEntry("dev.modelcontract.model.sha256", "none: the model is mounted");
  }

  @Test
  void everyServingImageServesSageMakersMultiModelEndpointsAndPortButAStubOnlyThePort() {
    assertThat(ContainerTemplate.labels("lstm:1", "0.1.0", "c0ffee", "beef"))
        .containsEntry("com.amazonaws.sagemaker.capabilities.multi-models", "true")
        .containsEntry("com.amazonaws.sagemaker.capabilities.accept-bind-to-port", "true");
    assertThat(ContainerTemplate.stubLabels("lstm-stub:1", "0.1.0", "c0ffee"))
        .containsEntry("dev.modelcontract.contract.sha256", "c0ffee")
        .containsEntry("dev.modelcontract.model.sha256", "none: a stub, which answers without the model")
        .containsEntry("com.amazonaws.sagemaker.capabilities.accept-bind-to-port", "true")
        .doesNotContainKey("com.amazonaws.sagemaker.capabilities.multi-models");
  }

  @Test
  void entrypointPassesTheSageMakerArgumentToTheServerAndRecordsClassesAtBuildTime() {
    assertThat(ContainerTemplate.entrypoint())
        .startsWith("#!/bin/sh")
        .contains("dev.modelcontract.server.Main \"$@\"")
        .contains("if [ \"${1:-}\" = " + ContainerTemplate.RECORD_CLASSES + " ]")
        .contains("-XX:DumpLoadedClassList=")
        .contains("-Xshare:dump");
  }

  @Test
  void entrypointIsFilledWithTheLayoutsPathsAndTheServersCommands() {
    assertThat(ContainerTemplate.entrypoint())
        .doesNotContainPattern("@[A-Z_]+@")
        .contains("`docker run IMAGE serve` (SageMaker's way), or `stub` in a stub")
        .contains("if [ \"${1:-}\" = record-classes ]; then")
        .contains("-XX:DumpLoadedClassList=/tmp/classes.lst\" \"$0\" warm-up\n")
        .contains("-XX:SharedClassListFile=/tmp/classes.lst")
        .contains("if [ -f /opt/model-contract/classes.jsa ]; then")
        .contains("cds=\"-XX:SharedArchiveFile=/opt/model-contract/classes.jsa\"")
        .contains("-Djava.io.tmpdir=/tmp \\\n")
        .contains("-Djna.boot.library.path=/opt/model-contract/native \\\n")
        .contains("-cp '/opt/model-contract/lib/*' \\\n  dev.modelcontract.server.Main \"$@\"\n");
  }

  @Test
  void entrypointTemplateWritesNoPathCommandOrClassNameOfItsOwn() throws IOException {
    String template;
    try (InputStream in = ContainerTemplate.class.getResourceAsStream("entrypoint.sh.template")) {
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Pattern ownFact = Pattern.compile("/opt/|/tmp|dev\\.modelcontract\\.|\\b(serve|stub|warm-up|record-classes)\\b");
    List<String> code = template.lines().filter(line -> !line.stripLeading().startsWith("#")).toList();

    assertThat(code).hasSizeGreaterThan(20).filteredOn(line -> ownFact.matcher(line).find()).isEmpty();
  }

  @Test
  void everyEnvironmentVariableTheEntrypointReadsIsOneTheImageDocuments() {
    Matcher reference = Pattern.compile("\\$\\{?([A-Z_][A-Z0-9_]*)").matcher(ContainerTemplate.entrypoint());
    TreeSet<String> read = new TreeSet<>();
    while (reference.find()) {
      read.add(reference.group(1));
    }

    assertThat(read).containsExactly("JAVA_OPTS", "MODEL_CONTRACT_MEMORY_BYTES", "MODEL_CONTRACT_TORCH_THREADS");
    assertThat(read).allSatisfy(name -> assertThat(EnvironmentVariable.valueOf(name)).isNotNull());
  }

  @Test
  void entrypointIsAShellScriptThatShParses(@TempDir Path folder) throws Exception {
    Path script = Files.writeString(folder.resolve(ContainerTemplate.ENTRYPOINT), ContainerTemplate.entrypoint());

    Process sh = new ProcessBuilder("sh", "-n", script.toString()).redirectErrorStream(true).start();

    assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
    assertThat(sh.exitValue()).isZero();
  }

  @Test
  void aMemorySizeThatIsNotAWholePositiveNumberOfBytesExitsWithCode2NamingTheVariable(@TempDir Path folder)
      throws Exception {
    Path script = Files.writeString(folder.resolve(ContainerTemplate.ENTRYPOINT), ContainerTemplate.entrypoint());
    for (String wrong : List.of("1g", "0", "-5", "99999999999999999999")) {
      ProcessBuilder run = new ProcessBuilder("sh", script.toString(), ImageCommand.SERVE.argument());
      run.environment().put(EnvironmentVariable.MODEL_CONTRACT_MEMORY_BYTES.name(), wrong);
      Process sh = run.redirectErrorStream(true).start();

      assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).as(wrong)
          .isEqualTo("MODEL_CONTRACT_MEMORY_BYTES must be a whole positive number of bytes, not '" + wrong + "'\n");
      assertThat(sh.exitValue()).as(wrong).isEqualTo(2);
    }
  }

  @Test
  void onOneProcessorTheJvmGetsTheSerialCollectorUnlessJavaOptsNamesACollector(@TempDir Path folder)
      throws Exception {
    assertThat(jvmArgumentsOnCpu0(folder, "")).contains("-XX:+UseSerialGC");
    assertThat(jvmArgumentsOnCpu0(folder, "-XX:+UseG1GC -Xlog:gc"))
        .contains("-XX:+UseG1GC")
        .doesNotContain("-XX:+UseSerialGC");
  }

  @Test
  void theSerialCollectorsYoungGenerationIs40MiBOrAThirdOfTheHeapUnlessJavaOptsSizesIt(@TempDir Path folder)
      throws Exception {
    assertThat(jvmArgumentsOnCpu0(folder, "")).contains("-Xmn40m");
    // 320 MiB for the container: a heap of (320 - 192) / 2 = 64 MiB, a third of it young
    assertThat(jvmArgumentsOnCpu0(folder, "", 320L << 20)).contains("-Xmx64m", "-Xmn21m");
    assertThat(jvmArgumentsOnCpu0(folder, "-XX:NewRatio=2")).noneMatch(argument -> argument.startsWith("-Xmn"));
    assertThat(jvmArgumentsOnCpu0(folder, "-Xmn200m")).containsOnlyOnce("-Xmn200m")
        .noneMatch(argument -> argument.equals("-Xmn40m"));
    assertThat(jvmArgumentsOnCpu0(folder, "-XX:+UseG1GC")).noneMatch(argument -> argument.startsWith("-Xmn"));
  }

  /**
   * The arguments the entrypoint (written into {@code folder}) gives {@code java} when the container may run on one
   * processor (the first): a {@code java} on the PATH that prints them.
   */
  private static List<String> jvmArgumentsOnCpu0(Path folder, String javaOpts) throws Exception {
    return jvmArgumentsOnCpu0(folder, javaOpts, 0);
  }

  /** As above, with {@code MODEL_CONTRACT_MEMORY_BYTES} set where {@code memoryBytes} is not 0. */
  private static List<String> jvmArgumentsOnCpu0(Path folder, String javaOpts, long memoryBytes) throws Exception {
    Path script = folder.resolve(ContainerTemplate.ENTRYPOINT);
    Path bin = folder.resolve("bin");
    if (!Files.exists(script)) {
      Files.writeString(script, ContainerTemplate.entrypoint());
      Path java = Files.writeString(Files.createDirectory(bin).resolve("java"),
          "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
      assertThat(java.toFile().setExecutable(true)).isTrue();
    }
    ProcessBuilder run = new ProcessBuilder("taskset", "-c", "0", "sh", script.toString(),
        ImageCommand.SERVE.argument());
    run.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    run.environment().put(EnvironmentVariable.JAVA_OPTS.name(), javaOpts);
    if (memoryBytes != 0) {
      run.environment().put(EnvironmentVariable.MODEL_CONTRACT_MEMORY_BYTES.name(), Long.toString(memoryBytes));
    }
    Process sh = run.redirectErrorStream(true).start();
    List<String> arguments = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(sh.exitValue()).as(String.join("\n", arguments)).isZero();
    return arguments;
  }

  @Test
  void aPlaceholderTheTemplateDoesNotFillIsAnError() {
    assertThat(ContainerTemplate.fill("cd @HOME@ && @RUN@ \"$@\"", Map.of("HOME", "/opt/x", "RUN", "java")))
        .isEqualTo("cd /opt/x && java \"$@\"");
    assertThatThrownBy(() -> ContainerTemplate.fill("cd @HOME@", Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the entrypoint template names @HOME@, which ContainerTemplate does not fill in");
  }
}
