package dev.modelcontract.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.validation.Check;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class VerificationReportTest {

  private static final Check GOLDEN = Check.pass("golden batched (three sequences)", "outputs within 1.0E-4");
  private static final Check REFUSAL = Check.pass("refuses a body that is not JSON with 400", "");
  private static final Check WRONG = Check.fail("refuses an application/xml body with 415", "got status 200: {}");

  @Test
  void reportWithEveryCheckPassedPassesAndRendersOneLinePerCheckAndTheSummary() {
    VerificationReport report = new VerificationReport("model:1.0", Duration.ofMillis(1500), List.of(GOLDEN, REFUSAL));

    assertThat(report.passed()).isTrue();
    assertThat(report.failures()).isEmpty();
    assertThat(report.render()).isEqualTo(String.join("\n",
        "Verification of model:1.0",
        "  started and answered 200 on /ping after 1.50 s",
        "  PASS golden batched (three sequences): outputs within 1.0E-4",
        "  PASS refuses a body that is not JSON with 400",
        "2 checks, 0 failed",
        ""));
  }

  @Test
  void oneFailedCheckFailsTheReportAndIsRenderedWithItsDetail() {
    VerificationReport report = new VerificationReport("model:1.0", Duration.ofSeconds(2), List.of(GOLDEN, WRONG));

    assertThat(report.passed()).isFalse();
    assertThat(report.failures()).containsExactly(WRONG);
    assertThat(report.render().lines())
        .contains("  FAIL refuses an application/xml body with 415: got status 200: {}")
        .endsWith("2 checks, 1 failed");
  }

  @Test
  void containerThatNeverBecameReadyFailsEvenWithoutAFailedCheck() {
    VerificationReport report = new VerificationReport("model:1.0", null, List.of());

    assertThat(report.passed()).isFalse();
    assertThat(report.render()).isEqualTo(String.join("\n",
        "Verification of model:1.0",
        "  the container never answered 200 on /ping",
        "0 checks, 0 failed",
        ""));
  }

  @Test
  void checksAreCopiedSoTheReportCannotChangeAfterwards() {
    List<Check> checks = new ArrayList<>(List.of(GOLDEN));
    VerificationReport report = new VerificationReport("model:1.0", Duration.ofSeconds(1), checks);

    checks.add(WRONG);

    assertThat(report.checks()).containsExactly(GOLDEN);
    assertThat(report.passed()).isTrue();
  }

  private static Document junitXml(VerificationReport report) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    report.writeJUnitXml(out);
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(out.toByteArray()));
  }

  @Test
  void junitXmlHasOneTestCasePerCheckAndAFailureWithTheDetailForEachFailedOne() throws Exception {
    Document xml = junitXml(new VerificationReport("model:1.0", Duration.ofMillis(1500), List.of(GOLDEN, WRONG)));

    Element suite = xml.getDocumentElement();
    assertThat(suite.getTagName()).isEqualTo("testsuite");
    assertThat(suite.getAttribute("tests")).isEqualTo("2");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(suite.getAttribute("time")).isEqualTo("1.500");
    NodeList cases = suite.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(2);
    assertThat(((Element) cases.item(0)).getAttribute("name")).isEqualTo(GOLDEN.name());
    assertThat(((Element) cases.item(0)).getElementsByTagName("failure").getLength()).isZero();
    Element failure = (Element) ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message")).isEqualTo("got status 200: {}");
    assertThat(((Element) cases.item(1)).getAttribute("classname")).isEqualTo("model-contract.verify.model:1.0");
  }

  @Test
  void junitXmlOfAContainerThatNeverStartedHasThatAsAFailedCase() throws Exception {
    Document xml = junitXml(new VerificationReport("model:1.0", null, List.of()));

    assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("1");
    assertThat(((Element) xml.getElementsByTagName("testcase").item(0)).getAttribute("name"))
        .isEqualTo("container start");
  }
}
