package dev.modelcontract.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
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
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      try {
        write(folder, entries, out);
      } catch (IOException | RuntimeException | Error e) {
        failure.set(e);
      }
    }, "build-context-tar");
    writer.setDaemon(true);
    writer.start();
    return new FailingAtEnd(in, writer, failure);
  }

  /**
   * The writer closes the pipe when it fails too, which reads as a clean end: at the end, this waits for the
   * writer and throws its failure, so a broken context fails the build instead of sending a truncated tar.
   */
  private static final class FailingAtEnd extends FilterInputStream {
    private final Thread writer;
    private final AtomicReference<Throwable> failure;

    FailingAtEnd(InputStream in, Thread writer, AtomicReference<Throwable> failure) {
      super(in);
      this.writer = writer;
      this.failure = failure;
    }

    @Override
    public int read() throws IOException {
      return checked(super.read());
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return checked(super.read(buffer, offset, length));
    }

    private int checked(int read) throws IOException {
      if (read < 0) {
        try {
          writer.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while the build context was written", e);
        }
        if (failure.get() != null) {
          throw new IOException("cannot write the build context as a tar: " + failure.get(), failure.get());
        }
      }
      return read;
    }
  }

  private static void write(Path folder, List<Path> entries, OutputStream out) throws IOException {
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
    }
  }
}
