package dev.modelcontract.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The npm tools the OpenAPI tests run, as {@code npm ci} installed them from this module's package-lock.json in the
 * build's generate-test-resources phase. A missing tool fails the test: it is never skipped.
 */
final class NodeTools {

  private NodeTools() {}

  /** A process of an installed tool, telemetry and update checks off (no traffic may leave the machine). */
  static ProcessBuilder command(String tool, String... arguments) {
    Path bin = Path.of(System.getProperty("npm.bin", "node_modules/.bin")).resolve(tool);
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException(bin + " is missing: the build installs it with npm ci (mvn -pl contract-testkit"
          + " generate-test-resources, which needs node and npm: bin/lib/machine.sh installs them)");
    }
    List<String> command = new ArrayList<>(List.of(bin.toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder process = new ProcessBuilder(command);
    process.environment().put("REDOCLY_TELEMETRY", "off");
    process.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    process.environment().put("NO_UPDATE_NOTIFIER", "1");
    process.environment().put("FORCE_COLOR", "0");
    return process;
  }
}
