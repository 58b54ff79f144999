package dev.modelcontract.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of an example model repo (or parts of one) in a test's folder, for builds with a real mvn. */
final class ExampleRepo {

  static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));

  private ExampleRepo() {}

  /** The example's pom.xml, model/ and golden/ in {@code repo}. */
  static Path copy(String example, Path repo) throws IOException {
    for (String part : new String[] {"pom.xml", "model", "golden"}) {
      copyTree(EXAMPLES.resolve(example).resolve(part), repo.resolve(part));
    }
    return repo;
  }

  /** A file, or a folder and everything below it. */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(file, target);
        }
      }
    }
  }
}
