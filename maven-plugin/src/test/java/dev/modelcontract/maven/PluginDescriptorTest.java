package dev.modelcontract.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Maven hygiene, read from what Maven reads: the generated plugin descriptor (a {@code help} goal, every parameter a
 * user can set described) and the m2e lifecycle mapping (every goal a model repo binds to its lifecycle).
 */
class PluginDescriptorTest {

  @Test
  void everyGoalIsThereWithHelpAndEveryEditableParameterIsDescribed() throws Exception {
    Document descriptor = read("/META-INF/maven/plugin.xml");
    List<String> undescribed = new ArrayList<>();
    NodeList mojos = descriptor.getElementsByTagName("mojo");
    List<String> goals = new ArrayList<>();
    for (int m = 0; m < mojos.getLength(); m++) {
      Element mojo = (Element) mojos.item(m);
      String goal = text(mojo, "goal");
      goals.add(goal);
      NodeList parameters = ((Element) mojo.getElementsByTagName("parameters").item(0)).getElementsByTagName("parameter");
      for (int p = 0; p < parameters.getLength(); p++) {
        Element parameter = (Element) parameters.item(p);
        if ("true".equals(text(parameter, "editable")) && text(parameter, "description").isBlank()) {
          undescribed.add(goal + ":" + text(parameter, "name"));
        }
      }
    }

    assertThat(goals).containsExactlyInAnyOrder("validate", "build", "verify", "compare", "record", "init", "help");
    assertThat(undescribed).as("parameters a user can set, without a description").isEmpty();
  }

  @Test
  void m2eMapsEveryGoalBoundToTheLifecycle() throws Exception { // help, init and record run only when called
    Document mapping = read("/META-INF/m2e/lifecycle-mapping-metadata.xml");
    NodeList goals = mapping.getElementsByTagName("goal");
    List<String> mapped = new ArrayList<>();
    for (int g = 0; g < goals.getLength(); g++) {
      mapped.add(goals.item(g).getTextContent().strip());
    }

    assertThat(mapped).containsExactlyInAnyOrder("validate", "build", "verify", "compare");
  }

  private static Document read(String resource) throws Exception {
    try (InputStream in = PluginDescriptorTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
    }
  }

  /** The text of a direct child element, or "" where there is none. */
  private static String text(Element element, String child) {
    NodeList children = element.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e && e.getTagName().equals(child)) {
        return e.getTextContent();
      }
    }
    return "";
  }
}
