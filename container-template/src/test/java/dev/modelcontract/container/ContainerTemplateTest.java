package dev.modelcontract.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
    assertThat(ContainerTemplate.stubEnvironment())
        .containsEntry("DJL_OFFLINE", "true")
        .containsEntry("OPT_OUT_TRACKING", "true")
        .containsEntry("MODEL_CONTRACT_MODEL_DIR", "/opt/ml/model")
        .containsEntry("MODEL_CONTRACT_STUB_IMAGE", "true")
        .doesNotContainKey("PYTORCH_LIBRARY_PATH");
    assertThat(ContainerTemplate.environment("2.7.1", "cpu", 1e-5)).doesNotContainKey("MODEL_CONTRACT_STUB_IMAGE");
  }

  @Test
  void environmentKeepsDjlOfflineAndPointsItAtTheExtractedLibtorch() {
    assertThat(ContainerTemplate.environment("2.7.1", "cpu", 1e-5))
        .containsEntry("DJL_OFFLINE", "true")
        .containsEntry("OPT_OUT_TRACKING", "true")
        .containsEntry("PYTORCH_LIBRARY_PATH", "/opt/model-contract/libtorch")
        .containsEntry("PYTORCH_VERSION", "2.7.1")
        .containsEntry("PYTORCH_FLAVOR", "cpu")
        .containsEntry("MODEL_CONTRACT_MODEL_DIR", "/opt/ml/model")
        .containsEntry("MODEL_CONTRACT_GOLDEN_TOLERANCE", "1.0E-5");
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
  void entrypointPassesTheSageMakerArgumentToTheServerAndRecordsClassesAtBuildTime() {
    assertThat(ContainerTemplate.entrypoint())
        .startsWith("#!/bin/sh")
        .contains("dev.modelcontract.server.Main \"$@\"")
        .contains("if [ \"${1:-}\" = " + ContainerTemplate.RECORD_CLASSES + " ]")
        .contains("-XX:DumpLoadedClassList=")
        .contains("-Xshare:dump");
  }
}
