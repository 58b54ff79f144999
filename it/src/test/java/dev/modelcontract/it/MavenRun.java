package dev.modelcontract.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code mvn} in a model repo, as a user runs it: the Maven running this build, offline, with the IT
 * repository the invoker runs use (the plugin as installed there) and the settings they use (the rest resolved from
 * this build's own local repository).
 */
final class MavenRun {

  private MavenRun() {}

  /** What a run printed and how it ended. */
  record Result(int exitCode, String output) {
    Result assertSucceeded() {
      if (exitCode != 0) {
        throw new AssertionError("mvn failed (" + exitCode + "):\n" + output);
      }
      return this;
    }
  }

  /** A goal of the plugin this build made, by its full coordinates (no prefix resolution offline). */
  static String goal(String name) {
    return "dev.modelcontract:model-contract-maven-plugin:" + System.getProperty("plugin.version") + ":" + name;
  }

  static Result in(Path project, String... arguments) throws Exception {
    Path settings = Files.createTempFile("settings", ".xml");
    Files.writeString(settings, Files.readString(Path.of(System.getProperty("it.settings")))
        .replace("@localRepositoryUrl@", Path.of(System.getProperty("it.userRepository")).toUri().toString()));
    try {
      return run(project, settings, arguments);
    } finally {
      Files.delete(settings);
    }
  }

  private static Result run(Path project, Path settings, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
        "-B", "-o", "-s", settings.toString(), "-Dmaven.repo.local=" + System.getProperty("it.localRepository")));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("mvn did not finish in 10 minutes in " + project);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
