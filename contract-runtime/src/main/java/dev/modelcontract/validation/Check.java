package dev.modelcontract.validation;

import java.util.List;

/**
 * One verified claim: a golden pair reproduced, a request refused as the contract says.
 *
 * @param name what was checked
 * @param passed whether it held
 * @param detail what was seen (for a failure: expected and actual)
 */
public record Check(String name, boolean passed, String detail) {

  public static Check pass(String name, String detail) {
    return new Check(name, true, detail);
  }

  public static Check fail(String name, String detail) {
    return new Check(name, false, detail);
  }

  /** The report line: {@code "  PASS name: detail"}. */
  public String line() {
    return (passed ? "  PASS " : "  FAIL ") + name + (detail.isEmpty() ? "" : ": " + detail);
  }

  /** A plain-text report: the title, one line per check, the summary. */
  public static String report(String title, List<Check> checks) {
    StringBuilder text = new StringBuilder(title).append('\n');
    checks.forEach(check -> text.append(check.line()).append('\n'));
    return text.append(summary(checks)).append('\n').toString();
  }

  /** The report's last line: {@code "3 checks, 1 failed"}. */
  public static String summary(List<Check> checks) {
    return checks.size() + " checks, " + checks.stream().filter(check -> !check.passed()).count() + " failed";
  }
}
