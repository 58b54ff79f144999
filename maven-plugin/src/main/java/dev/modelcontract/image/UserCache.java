package dev.modelcontract.image;

import java.nio.file.Path;

/**
 * The user's cache of what image builds make once and reuse across model repos: {@code $XDG_CACHE_HOME/model-contract},
 * else {@code ~/.cache/model-contract}, one folder per kind.
 */
final class UserCache {

  private UserCache() {}

  /** The folder of one kind of cached thing, e.g. {@code stripped}. */
  static Path folder(String kind) {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
    return base.resolve("model-contract").resolve(kind);
  }
}
