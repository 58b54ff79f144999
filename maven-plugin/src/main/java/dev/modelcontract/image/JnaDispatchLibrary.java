package dev.modelcontract.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * JNA's native stub, taken out of the JNA jar at build time. JNA would otherwise unpack it into {@code /tmp} at
 * start and load it from there, which fails where {@code /tmp} is mounted {@code noexec} (a read-only container
 * with a tmpfs /tmp). The image points {@code jna.boot.library.path} at the extracted file instead.
 */
final class JnaDispatchLibrary {

  /** The file's name in the image's native folder. */
  static final String FILE_NAME = "libjnidispatch.so";
  /** Its place in the JNA jar for the image's platform (libtorch's linux-x86_64). */
  static final String JAR_ENTRY = "com/sun/jna/linux-x86-64/" + FILE_NAME;

  private JnaDispatchLibrary() {}

  /**
   * Writes the stub from the JNA jar among the runtime's jars into the folder.
   *
   * @throws IOException when no JNA jar with the stub is among them
   */
  static Path extract(List<Path> runtimeJars, Path folder) throws IOException {
    Path jar = runtimeJars.stream()
        .filter(path -> path.getFileName().toString().matches("jna-[0-9][^/]*\\.jar"))
        .findFirst()
        .orElseThrow(() -> new IOException("the runtime's jars hold no JNA jar (jna-*.jar): the runtime resolved"
            + " incompletely (docs/tutorial.md, section 'Installing the plugin')"));
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry entry = zip.getEntry(JAR_ENTRY);
      if (entry == null) {
        throw new IOException(jar + " holds no " + JAR_ENTRY);
      }
      Path target = folder.resolve(FILE_NAME);
      try (InputStream in = zip.getInputStream(entry)) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    }
  }
}
