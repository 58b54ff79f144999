package dev.modelcontract.image;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Native libraries without their static symbol tables ({@link ElfSymbolTable}), made once per library file in a
 * cache shared by every build of the user ({@code $XDG_CACHE_HOME/model-contract/stripped}, else
 * {@code ~/.cache/model-contract/stripped}): libtorch's 446 MB become 357 MB in every image, for one second of
 * disk writes once.
 */
final class StrippedLibraries {

  private final Path cache;
  private final Consumer<String> log;

  StrippedLibraries(Path cache, Consumer<String> log) {
    this.cache = cache;
    this.log = log;
  }

  /** The user's cache folder. */
  static Path defaultCache() {
    return UserCache.folder("stripped");
  }

  /**
   * The library without its static symbol table, or the library itself where it has none (or its layout does not
   * allow removing it). Keyed by the file's name, size and modification time.
   */
  Path of(Path library) throws IOException {
    Path folder = cache.resolve(Files.size(library) + "-" + Files.getLastModifiedTime(library).toMillis());
    Path stripped = folder.resolve(library.getFileName());
    Path unchanged = folder.resolve(library.getFileName() + ".unchanged");
    if (Files.exists(stripped)) {
      return stripped;
    }
    if (Files.exists(unchanged)) {
      return library;
    }
    Files.createDirectories(folder);
    Optional<ElfSymbolTable.Stripped> done = ElfSymbolTable.strip(library, stripped);
    if (done.isEmpty()) {
      try {
        Files.createFile(unchanged);
      } catch (FileAlreadyExistsException e) {
        // another build marked it first
      }
      return library;
    }
    log.accept(String.format("%s without its static symbol table: %,d -> %,d bytes (cached in %s)",
        library.getFileName(), done.get().sizeBefore(), done.get().sizeAfter(), folder));
    return stripped;
  }
}
