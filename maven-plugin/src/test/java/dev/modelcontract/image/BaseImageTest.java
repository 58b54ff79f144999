package dev.modelcontract.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseImageTest {

  @TempDir
  Path dir;

  @Test
  void baseImagesAreNamedTheWayJibNamesThem() {
    assertThat(BaseImage.parse("docker://model-contract/base:1"))
        .isEqualTo(new BaseImage("docker://model-contract/base:1", BaseImage.Kind.DOCKER, "model-contract/base:1"));
    assertThat(BaseImage.parse("tar:///tmp/base.tar").location()).isEqualTo("/tmp/base.tar");
    assertThat(BaseImage.parse("tar:///tmp/base.tar").kind()).isEqualTo(BaseImage.Kind.TAR);
    assertThat(BaseImage.parse("eclipse-temurin:17-jre").kind()).isEqualTo(BaseImage.Kind.REGISTRY);
    assertThat(BaseImage.parse("registry://ecr.example/jre:17").location()).isEqualTo("ecr.example/jre:17");
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] bytes) throws Exception {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  @Test
  void aDockerSaveTarIsDescribedByItsConfigDigestAndLabels() throws Exception {
    byte[] config = "{\"config\":{\"Labels\":{\"dev.modelcontract.base.java\":\"openjdk=17\"}}}"
        .getBytes(StandardCharsets.UTF_8);
    Path tar = dir.resolve("base.tar");
    try (OutputStream out = Files.newOutputStream(tar);
        TarArchiveOutputStream archive = new TarArchiveOutputStream(out)) {
      add(archive, "manifest.json", "[{\"Config\":\"c0ffee.json\",\"Layers\":[\"layer/layer.tar\"]}]"
          .getBytes(StandardCharsets.UTF_8));
      add(archive, "c0ffee.json", config);
      add(archive, "layer/layer.tar", new byte[2048]);
    }

    BaseImage.Description described = BaseImage.parse("tar://" + tar).describe(Optional.empty());

    assertThat(described.id()).isEqualTo("sha256:" + Sha256.of(config));
    assertThat(described.labels()).isEqualTo(Map.of("dev.modelcontract.base.java", "openjdk=17"));
    assertThat(described.sizeBytes()).isEqualTo(Files.size(tar));
  }

  @Test
  void aMissingTarOrADockerBaseWithoutAnEngineIsRefusedNamingTheTutorialSection() {
    assertThatThrownBy(() -> BaseImage.parse("tar://" + dir.resolve("none.tar")).describe(Optional.empty()))
        .isInstanceOf(ImageBuildException.class).hasMessageContaining("does not exist")
        .hasMessageContaining("section 'The base image'");
    assertThatThrownBy(() -> BaseImage.parse("docker://base:1").describe(Optional.empty()))
        .isInstanceOf(ImageBuildException.class).hasMessageContaining("none answers");
  }
}
