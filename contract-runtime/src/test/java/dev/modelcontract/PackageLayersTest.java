package dev.modelcontract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The runtime's packages import only the packages below them, as each package-info.java says: no arrow back up. */
class PackageLayersTest {

  /** Bottom to top: a package may import those before it. */
  private static final List<String> LAYERS = List.of("hosting", "contract", "tensors", "inference", "enforcement",
      "golden", "validation", "stub", "server");

  private static final Path SOURCES = Path.of("src/main/java/dev/modelcontract");
  private static final Pattern IMPORT = Pattern.compile("^import dev\\.modelcontract\\.([a-z]+)\\.", Pattern.MULTILINE);

  @Test
  void everyPackageImportsOnlyThePackagesBelowIt() throws IOException {
    List<String> upward = new ArrayList<>();
    for (String layer : LAYERS) {
      try (Stream<Path> files = Files.list(SOURCES.resolve(layer))) {
        for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
          Matcher imported = IMPORT.matcher(Files.readString(file));
          while (imported.find()) {
            String target = imported.group(1);
            if (!target.equals(layer) && LAYERS.indexOf(target) > LAYERS.indexOf(layer)) {
              upward.add(layer + "/" + file.getFileName() + " imports " + target);
            }
          }
        }
      }
    }
    assertThat(upward).isEmpty();
  }

  @Test
  void everyPackageIsALayerAndSaysWhatItIsFor() throws IOException {
    try (Stream<Path> packages = Files.list(SOURCES)) {
      List<String> names = packages.filter(Files::isDirectory).map(path -> path.getFileName().toString()).toList();
      assertThat(LAYERS).containsExactlyInAnyOrderElementsOf(names);
    }
    for (String layer : LAYERS) {
      assertThat(SOURCES.resolve(layer).resolve("package-info.java")).exists();
    }
  }
}
