package dev.modelcontract.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextTarTest {

  @TempDir
  Path context;

  /** One tar entry as read back. */
  record Entry(String name, boolean directory, int mode, long mtime, byte[] content) {}

  private static List<Entry> read(InputStream tar) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.add(new Entry(entry.getName(), entry.isDirectory(), entry.getMode() & 07777,
            entry.getLastModifiedTime().toMillis(), in.readAllBytes()));
      }
    }
    return entries;
  }

  private Entry entry(List<Entry> entries, String name) {
    return entries.stream().filter(entry -> entry.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no entry " + name + " in " + entries));
  }

  private void write(String file, String content) throws IOException {
    Path path = context.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content);
  }

  @Test
  void everyFileAndFolderIsArchivedInPathOrderWithItsContent() throws IOException {
    write("Dockerfile", "FROM base\n");
    write("bin/entrypoint.sh", "#!/bin/sh\n");
    write("lib/runtime.jar", "jar");
    write("model/weights/model.pt", "weights");

    List<Entry> entries = read(ContextTar.of(context));

    assertThat(entries).extracting(Entry::name).containsExactly("Dockerfile", "bin/", "bin/entrypoint.sh", "lib/",
        "lib/runtime.jar", "model/", "model/weights/", "model/weights/model.pt");
    assertThat(entry(entries, "Dockerfile").content()).asString(StandardCharsets.UTF_8).isEqualTo("FROM base\n");
    assertThat(entry(entries, "bin/entrypoint.sh").content()).asString(StandardCharsets.UTF_8)
        .isEqualTo("#!/bin/sh\n");
    assertThat(entry(entries, "lib/runtime.jar").content()).asString(StandardCharsets.UTF_8).isEqualTo("jar");
    assertThat(entry(entries, "model/weights/model.pt").content()).asString(StandardCharsets.UTF_8)
        .isEqualTo("weights");
    assertThat(entry(entries, "model/weights/").directory()).isTrue();
  }

  @Test
  void executablesAreMode0755OtherFiles0644AndFolders0755() throws IOException {
    write("bin/entrypoint.sh", "#!/bin/sh\n");
    Files.setPosixFilePermissions(context.resolve("bin/entrypoint.sh"), PosixFilePermissions.fromString("rwx------"));
    write("Dockerfile", "FROM base\n");
    Files.setPosixFilePermissions(context.resolve("Dockerfile"), PosixFilePermissions.fromString("rw-rw-rw-"));

    List<Entry> entries = read(ContextTar.of(context));

    assertThat(entry(entries, "bin/entrypoint.sh").mode()).isEqualTo(0755);
    assertThat(entry(entries, "Dockerfile").mode()).isEqualTo(0644);
    assertThat(entry(entries, "bin/").mode()).isEqualTo(0755);
  }

  @Test
  void everyEntryHasModificationTimeZeroSoTheSameContextGivesTheSameTar() throws IOException {
    write("Dockerfile", "FROM base\n");
    write("lib/runtime.jar", "jar");

    byte[] first = ContextTar.of(context).readAllBytes();
    Files.setLastModifiedTime(context.resolve("Dockerfile"),
        FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    byte[] second = ContextTar.of(context).readAllBytes();

    assertThat(read(new ByteArrayInputStream(first))).extracting(Entry::mtime).containsOnly(0L);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void fileLargerThanThePipeBufferArrivesWhole() throws IOException {
    byte[] large = new byte[3 * (1 << 20) + 7];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31);
    }
    Files.write(context.resolve("libtorch.so"), large);

    List<Entry> entries = read(ContextTar.of(context));

    assertThat(entries).singleElement().satisfies(entry -> {
      assertThat(entry.name()).isEqualTo("libtorch.so");
      assertThat(Arrays.equals(entry.content(), large)).as("content equals the file").isTrue();
    });
  }

  @Test
  void fileThatCannotBeReadFailsTheReadingSideInsteadOfEndingTheTarEarly() throws IOException {
    write("Dockerfile", "FROM base\n");
    Files.createSymbolicLink(context.resolve("libtorch.so"), context.resolve("deleted-meanwhile.so"));

    InputStream tar = ContextTar.of(context);

    assertThatThrownBy(tar::readAllBytes)
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot write the build context as a tar: ")
        .hasRootCauseInstanceOf(NoSuchFileException.class);
  }
}
