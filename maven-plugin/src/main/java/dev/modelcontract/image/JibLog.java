package dev.modelcontract.image;

import com.google.cloud.tools.jib.api.LogEvent;
import java.util.function.Consumer;

/**
 * Jib's warnings and errors, for the build log; its lifecycle, progress and debug lines stay out, and so does its
 * warning that a base image named by tag may change: the build says that once, for registry images only (a local or
 * tar base image is known by its ID, which the SBOM records).
 */
final class JibLog implements Consumer<LogEvent> {

  private final Consumer<String> log;

  JibLog(Consumer<String> log) {
    this.log = log;
  }

  @Override
  public void accept(LogEvent event) {
    boolean unpinned = event.getMessage().contains("does not use a specific image digest");
    if ((event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN) && !unpinned) {
      log.accept(event.getLevel() + " " + event.getMessage());
    }
  }
}
