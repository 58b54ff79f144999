package dev.modelcontract.server;

import dev.modelcontract.validation.Check;
import java.util.List;

/**
 * The model gave other numbers than its golden pairs on this host's CPU: the server must not serve them.
 */
public final class GoldenPairsDiffer extends Exception {

  private final List<Check> failures;

  public GoldenPairsDiffer(String report, List<Check> failures) {
    super(report);
    this.failures = List.copyOf(failures);
  }

  /** The pairs that differed. */
  public List<Check> failures() {
    return failures;
  }
}
