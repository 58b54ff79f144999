package dev.modelcontract.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Streams a build-context folder as an uncompressed tar with fixed times and modes: the engine gets the bytes as
 * they are read from disk, with no temporary archive and no compression of libtorch's 450 MB.
 */
final class ContextTar {

  private static final long FIXED_MTIME_MILLIS = 0L;

  private ContextTar() {}

  static InputStream of(Path folder) throws IOException {
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(folder)) {
      entries = walk.filter(path -> !path.equals(folder)).sorted().toList();
    }
    PipedInputStream in = new PipedInputStream(1 << 20);
    PipedOutputStream out = new PipedOutputStream(in);
    Thread writer = new Thread(() -> write(folder, entries, out), "build-context-tar");
    writer.setDaemon(true);
    writer.start();
    return in;
  }

  private static void write(Path folder, List<Path> entries, OutputStream out) {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path path : entries) {
        String name = folder.relativize(path).toString().replace('\\', '/');
        boolean directory = Files.isDirectory(path);
        TarArchiveEntry entry = new TarArchiveEntry(directory ? name + "/" : name);
        entry.setModTime(FIXED_MTIME_MILLIS);
        entry.setMode(directory ? 040755 : Files.isExecutable(path) ? 0100755 : 0100644);
        if (!directory) {
          entry.setSize(Files.size(path));
        }
        tar.putArchiveEntry(entry);
        if (!directory) {
          Files.copy(path, tar);
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      // The reading side sees the pipe break and reports the failed build.
      throw new UncheckedIOException(e);
    }
  }
}
