package dev.modelcontract.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * The model directory as SageMaker's {@code ModelDataUrl} takes it: a {@code model.tar.gz} whose root is what
 * SageMaker extracts into /opt/ml/model (the contract, the model file, {@code golden/}). Reproducible: entries in
 * sorted order, one fixed time, owner root, no time in the gzip header; the same model gives the same bytes.
 */
public final class ModelArchive {

  public static final String FILE_NAME = "model.tar.gz";
  /** 2000-01-01T00:00:00Z: a fixed time in every entry (tar readers warn about times before 1980). */
  private static final FileTime FIXED_TIME = FileTime.fromMillis(946_684_800_000L);

  private ModelArchive() {}

  /** Writes every file under {@code folder}, at the archive's root. */
  public static void write(Path folder, Path archive) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    GzipParameters gzip = new GzipParameters();
    gzip.setModificationTime(0);
    Files.createDirectories(archive.toAbsolutePath().getParent());
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(archive));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file, gzip))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Path path : files) {
        TarArchiveEntry entry = new TarArchiveEntry(folder.relativize(path).toString().replace('\\', '/'));
        entry.setSize(Files.size(path));
        entry.setMode(0100644);
        entry.setLastModifiedTime(FIXED_TIME);
        entry.setIds(0, 0);
        entry.setNames("root", "root");
        tar.putArchiveEntry(entry);
        Files.copy(path, tar);
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }

  /** Extracts an archive into {@code folder}, as SageMaker does into /opt/ml/model; no entry may leave it. */
  public static void extract(Path archive, Path folder) throws IOException {
    Path root = Files.createDirectories(folder).toRealPath();
    try (InputStream file = Files.newInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException(archive + " holds '" + entry.getName() + "', outside the folder it extracts to");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isFile()) {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
