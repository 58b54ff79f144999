package dev.modelcontract.it;

import org.testcontainers.containers.Container;

/**
 * Runs scripts in a running serving image with the image's own {@code /bin/sh} (dash): the image holds no
 * coreutils, so tests use the shell's builtins ({@code echo} with globs, {@code read}, {@code [ … ]}).
 */
final class ImageShell {

  private ImageShell() {}

  /** The script's standard output, stripped. */
  static String run(Container<?> container, String script) throws Exception {
    return container.execInContainer("sh", "-c", script).getStdout().strip();
  }

  /** A field of /proc/1/status (the server's JVM, which the entrypoint exec'd), e.g. {@code Uid} or {@code VmRSS}. */
  static String serverStatus(Container<?> container, String field) throws Exception {
    return run(container, "while read -r key value rest; do [ \"$key\" = " + field + ": ] && echo \"$value\"; done"
        + " < /proc/1/status");
  }
}
