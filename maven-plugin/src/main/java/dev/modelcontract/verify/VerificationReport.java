package dev.modelcontract.verify;

import dev.modelcontract.golden.Check;
import java.time.Duration;
import java.util.Locale;
import java.util.List;

/**
 * What verifying a running image found.
 *
 * @param image the image verified
 * @param startup from container start to the first 200 on /ping; null when it never became ready
 * @param checks every check, in the order run
 */
public record VerificationReport(String image, Duration startup, List<Check> checks) {

  public VerificationReport {
    checks = List.copyOf(checks);
  }

  public List<Check> failures() {
    return checks.stream().filter(check -> !check.passed()).toList();
  }

  public boolean passed() {
    return failures().isEmpty() && startup != null;
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
