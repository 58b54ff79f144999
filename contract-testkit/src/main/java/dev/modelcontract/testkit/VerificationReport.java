package dev.modelcontract.testkit;

import dev.modelcontract.validation.Check;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * What verifying a running image found.
 *
 * @param image the image verified
 * @param startup from container start to the first 200 on /ping; null when it never became ready
 * @param checks every check, in the order run
 */
public record VerificationReport(String image, Duration startup, List<Check> checks) {

  /** The suite's name in the JUnit XML report. */
  static final String SUITE = "model-contract.verify";

  public VerificationReport {
    checks = List.copyOf(checks);
  }

  public List<Check> failures() {
    return checks.stream().filter(check -> !check.passed()).toList();
  }

  public boolean passed() {
    return failures().isEmpty() && startup != null;
  }

  /**
   * The report as a JUnit XML test suite (the format Surefire and Failsafe write and CI servers read): one test
   * case per check, a failed check a {@code <failure>} with its detail, a container that never became ready one
   * failed case of its own.
   */
  public void writeJUnitXml(OutputStream out) throws IOException {
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", SUITE);
      xml.writeAttribute("tests", Integer.toString(checks.size() + (startup == null ? 1 : 0)));
      xml.writeAttribute("failures", Long.toString(failures().size() + (startup == null ? 1 : 0)));
      xml.writeAttribute("errors", "0");
      xml.writeAttribute("skipped", "0");
      xml.writeAttribute("time", startup == null ? "0" : String.format(Locale.ROOT, "%.3f", startup.toMillis() / 1e3));
      xml.writeCharacters("\n  ");
      xml.writeStartElement("properties");
      xml.writeEmptyElement("property");
      xml.writeAttribute("name", "image");
      xml.writeAttribute("value", image);
      xml.writeEndElement();
      if (startup == null) {
        testCase(xml, Check.fail("container start", "the container never answered 200 on /ping"));
      }
      for (Check check : checks) {
        testCase(xml, check);
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write the JUnit XML report: " + e.getMessage(), e);
    }
  }

  private void testCase(XMLStreamWriter xml, Check check) throws XMLStreamException {
    xml.writeCharacters("\n  ");
    if (check.passed()) {
      xml.writeEmptyElement("testcase");
    } else {
      xml.writeStartElement("testcase");
    }
    xml.writeAttribute("classname", SUITE + "." + image);
    xml.writeAttribute("name", check.name());
    xml.writeAttribute("time", "0");
    if (!check.passed()) {
      xml.writeStartElement("failure");
      xml.writeAttribute("message", check.detail());
      xml.writeCharacters(check.line());
      xml.writeEndElement();
      xml.writeEndElement();
    }
  }

  /** A plain-text report, one line per check. */
  public String render() {
    StringBuilder text = new StringBuilder("Verification of ").append(image).append('\n');
    text.append(startup == null ? "  the container never answered 200 on /ping\n"
        : String.format(Locale.ROOT, "  started and answered 200 on /ping after %.2f s%n", startup.toMillis() / 1000.0));
    for (Check check : checks) {
      text.append(check.line()).append('\n');
    }
    return text.append(Check.summary(checks)).append('\n').toString();
  }
}
