package dev.modelcontract.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerTemplateTest {

  private static final Map<String, String> VALUES = Map.of(
      "BASE_IMAGE", "model-contract/base:jre17-bookworm-slim",
      "GOLDEN_TOLERANCE", "1.0E-5",
      "MODEL_NAME", "lstm-two-inputs",
      "LIBTORCH_VERSION", "2.7.1",
      "LIBTORCH_FLAVOR", "cpu",
      "RUNTIME_VERSION", "0.1.0",
      "CONTRACT_SHA256", "c0ffee",
      "MODEL_SHA256", "beef",
      "USER", ContainerTemplate.DEFAULT_USER);

  @Test
  void dockerfileStartsFromTheBaseImageAndServesTheModelFromOptMlModel() {
    String dockerfile = ContainerTemplate.dockerfile(VALUES);

    assertThat(dockerfile)
        .contains("FROM model-contract/base:jre17-bookworm-slim")
        .contains("COPY model/ /opt/ml/model/")
        .contains("PYTORCH_VERSION=2.7.1")
        .contains("dev.modelcontract.contract.sha256=\"c0ffee\"")
        .contains("ENTRYPOINT [\"/opt/model-contract/bin/entrypoint.sh\"]")
        .doesNotContain("@");
  }

  @Test
  void anImageWithoutItsModelStillRecordsTheClassArchiveWithItButShipsOnlyTheArchive() {
    String dockerfile = ContainerTemplate.dockerfile(VALUES, false);
    String finalStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));

    assertThat(dockerfile).contains("FROM runtime AS training\nCOPY model/ /opt/ml/model/");
    assertThat(finalStage)
        .contains("COPY --from=training /opt/model-contract/classes.jsa")
        .doesNotContain("COPY model/")
        .contains("dev.modelcontract.model.sha256=\"none: the model is mounted\"")
        .doesNotContain("@");
    String baked = ContainerTemplate.dockerfile(VALUES);
    assertThat(baked.substring(baked.lastIndexOf("\nFROM "))).contains("COPY model/ /opt/ml/model/");
  }

  @Test
  void imagesRunAsRootAsSageMakerExpectsUnlessTheBuildNamesAnotherUser() {
    assertThat(ContainerTemplate.dockerfile(VALUES)).contains("\nUSER root\n");
    Map<String, String> nonRoot = new java.util.HashMap<>(VALUES);
    nonRoot.put("USER", "65534:65534");
    assertThat(ContainerTemplate.dockerfile(nonRoot)).contains("\nUSER 65534:65534\n");
  }

  @Test
  void dockerfileKeepsDjlOfflineInsideTheImage() {
    assertThat(ContainerTemplate.dockerfile(VALUES))
        .contains("DJL_OFFLINE=true")
        .contains("OPT_OUT_TRACKING=true");
    assertThat(ContainerTemplate.entrypoint())
        .contains("-Dai.djl.offline=true")
        .contains("-DOPT_OUT_TRACKING=true");
  }

  @Test
  void aMissingValueIsNamed() {
    assertThatThrownBy(() -> ContainerTemplate.fill("FROM @BASE_IMAGE@\nLABEL x=@MODEL_NAME@", Map.of("BASE_IMAGE", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@MODEL_NAME@");
  }

  @Test
  void entrypointPassesTheSageMakerArgumentToTheServer() {
    assertThat(ContainerTemplate.entrypoint())
        .startsWith("#!/bin/sh")
        .contains("dev.modelcontract.server.Main \"$@\"");
  }

  @Test
  void layoutFoldersAreTheOnesTheDockerfileCopies() {
    String dockerfile = ContainerTemplate.dockerfile(VALUES);
    for (String folder : new String[] {ContainerTemplate.LIBTORCH_DIR, ContainerTemplate.DJL_CACHE_DIR,
        ContainerTemplate.LIB_DIR, ContainerTemplate.BIN_DIR, ContainerTemplate.MODEL_DIR}) {
      assertThat(dockerfile).contains("COPY " + folder + "/ ");
    }
  }
}
