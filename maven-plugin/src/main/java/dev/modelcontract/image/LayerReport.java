package dev.modelcontract.image;

import dev.modelcontract.container.ContainerTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The image's size layer by layer, uncompressed, for the build log: the base image (as its engine or tar gives it),
 * then the layers the build adds, by where they go in the image.
 */
final class LayerReport {

  private LayerReport() {}

  static List<String> lines(BaseImage base, BaseImage.Description described, BuildContext context,
      boolean withArchive, boolean withModel) {
    long total = described.sizeBytes();
    List<String> rows = new ArrayList<>();
    for (ContainerTemplate.Layer layer : ContainerTemplate.layers(withArchive, withModel)) {
      long size = bytes(context.layer(layer));
      total += size;
      rows.add(String.format(Locale.ROOT, "%s  %s", size(size), layer.containerPath()));
    }
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "image size by layer (%.1f MB in all, uncompressed):", total / 1e6));
    lines.add(String.format(Locale.ROOT, "%s  base image %s", described.sizeBytes() > 0
        ? size(described.sizeBytes()) : "         ?   ", base.reference()));
    lines.addAll(rows);
    return lines;
  }

  private static String size(long bytes) {
    return bytes < 1_000_000 ? String.format(Locale.ROOT, "%10.1f kB", bytes / 1e3)
        : String.format(Locale.ROOT, "%10.1f MB", bytes / 1e6);
  }

  /** A report line, not a build step: a layer that cannot be read counts as empty. */
  private static long bytes(Path path) {
    try (Stream<Path> files = Files.walk(path)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    } catch (IOException e) {
      return 0;
    }
  }
}
