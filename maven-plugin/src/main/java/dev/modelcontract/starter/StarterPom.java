package dev.modelcontract.starter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The pom of a new model repo: the plugin and nothing else, its goals bound as the examples bind them (validate,
 * build at package, verify). The template is {@value #TEMPLATE}, its {@code @name@} tokens replaced.
 */
final class StarterPom {

  static final String TEMPLATE = "starter-pom.xml";

  private StarterPom() {}

  static String xml(Coordinates project, Coordinates plugin) {
    return template()
        .replace("@groupId@", escaped(project.groupId()))
        .replace("@artifactId@", escaped(project.artifactId()))
        .replace("@version@", escaped(project.version()))
        .replace("@pluginGroupId@", escaped(plugin.groupId()))
        .replace("@pluginArtifactId@", escaped(plugin.artifactId()))
        .replace("@pluginVersion@", escaped(plugin.version()));
  }

  private static String template() {
    try (InputStream in = StarterPom.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + TEMPLATE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String escaped(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
