package dev.modelcontract.maven;

import org.apache.maven.plugins.annotations.Parameter;
import org.testcontainers.utility.ResourceReaper;

/** The goals that work with the serving image in the local Docker engine: build and verify. */
abstract class ImageMojo extends ContractMojo {

  /** The serving image: built by {@code build}, started by {@code verify}. */
  @Parameter(property = PropertyNames.IMAGE, defaultValue = "${project.artifactId}:${project.version}",
      required = true)
  protected String image;

  /**
   * Without Ryuk, Testcontainers cleans up in a JVM shutdown hook, which runs after Maven has closed this
   * plugin's class realm and then fails to load its classes; cleaning up now, while the realm is open, loads them
   * in time.
   */
  void cleanUpDockerSession() {
    try {
      ResourceReaper.instance().performCleanup();
    } catch (RuntimeException e) {
      getLog().debug("Testcontainers clean-up failed: " + e);
    }
  }
}
