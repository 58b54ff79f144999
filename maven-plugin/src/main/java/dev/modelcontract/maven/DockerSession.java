package dev.modelcontract.maven;

/**
 * The goals of this plugin that use Docker at the same time in one Maven JVM ({@code mvn -T} runs modules in
 * parallel, and every module shares the plugin's classes). Testcontainers' clean-up removes every container of the
 * JVM, so it runs only when the last such goal ends: never under another module's running container. A goal that
 * starts while the clean-up runs waits for it.
 */
final class DockerSession {

  private static final Object LOCK = new Object();
  private static int active;

  private DockerSession() {}

  /** A goal begins to use Docker. */
  static void enter() {
    synchronized (LOCK) {
      active++;
    }
  }

  /**
   * A goal is done with Docker (its own containers already stopped); the clean-up runs if no other goal still uses
   * Docker.
   *
   * @return whether the clean-up ran
   */
  static boolean exit(Runnable cleanUp) {
    synchronized (LOCK) {
      active--;
      if (active > 0) {
        return false;
      }
      cleanUp.run();
      return true;
    }
  }
}
