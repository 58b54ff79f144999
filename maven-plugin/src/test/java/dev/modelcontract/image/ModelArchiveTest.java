package dev.modelcontract.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArchiveTest {

  @TempDir
  Path temp;

  @Test
  void theSameModelGivesTheSameBytesAndExtractsToTheSameFiles() throws Exception {
    Path model = Files.createDirectories(temp.resolve("model"));
    Files.writeString(model.resolve("model-contract.yaml"), "version: 1\n");
    Files.write(model.resolve("model.pt"), new byte[] {1, 2, 3});
    Files.writeString(Files.createDirectories(model.resolve("golden")).resolve("a.json"), "{}");

    ModelArchive.write(model, temp.resolve("first.tar.gz"));
    Files.setLastModifiedTime(model.resolve("model.pt"), FileTime.fromMillis(0)); // times do not reach the archive
    ModelArchive.write(model, temp.resolve("second.tar.gz"));
    ModelArchive.extract(temp.resolve("first.tar.gz"), temp.resolve("opt-ml-model"));

    assertThat(Files.readAllBytes(temp.resolve("second.tar.gz")))
        .isEqualTo(Files.readAllBytes(temp.resolve("first.tar.gz")));
    assertThat(temp.resolve("opt-ml-model/model.pt")).hasBinaryContent(new byte[] {1, 2, 3});
    assertThat(temp.resolve("opt-ml-model/golden/a.json")).hasContent("{}");
    assertThat(temp.resolve("opt-ml-model/model-contract.yaml")).hasContent("version: 1\n");
  }

  @Test
  void anEntryThatWouldLeaveTheFolderIsRefused() throws Exception {
    Path archive = temp.resolve("evil.tar.gz");
    try (OutputStream out = Files.newOutputStream(archive);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      TarArchiveEntry entry = new TarArchiveEntry("../escaped.txt");
      byte[] text = "x".getBytes(StandardCharsets.UTF_8);
      entry.setSize(text.length);
      tar.putArchiveEntry(entry);
      tar.write(text);
      tar.closeArchiveEntry();
    }

    assertThatThrownBy(() -> ModelArchive.extract(archive, temp.resolve("model")))
        .isInstanceOf(IOException.class).hasMessageContaining("outside the folder");
    assertThat(temp.resolve("escaped.txt")).doesNotExist();
  }
}
