package dev.modelcontract.maven;

import java.util.Map;

/**
 * Keeps a build's log to what the goals themselves say: DJL's probe for a GPU (two warnings per engine start on
 * every CPU-only host), its repository notice and engine details, and Testcontainers' banner, environment report
 * and per-container lines are logged only at their loggers' error level, unless Maven runs with {@code -X}.
 *
 * <p>Maven's SLF4J binding reads a logger's level from the system property
 * {@code org.slf4j.simpleLogger.log.<name>} when the logger is created, so these are set before DJL or
 * Testcontainers create theirs; a level the user set (on the command line or in {@code MAVEN_OPTS}) is kept.
 */
final class QuietLogs {

  private static final String PREFIX = "org.slf4j.simpleLogger.log.";
  private static final Map<String, String> LEVELS = Map.of(
      "ai.djl", "warn",
      "ai.djl.util.cuda.CudaUtils", "error",
      "ai.djl.repository.SimpleRepository", "error",
      "org.testcontainers", "error",
      "tc", "warn",
      "com.github.dockerjava", "warn");

  private QuietLogs() {}

  static void apply(boolean debug) {
    if (debug) {
      return;
    }
    LEVELS.forEach((logger, level) -> {
      if (System.getProperty(PREFIX + logger) == null) {
        System.setProperty(PREFIX + logger, level);
      }
    });
  }
}
