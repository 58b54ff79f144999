package dev.modelcontract.validation;

import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.golden.GoldenCase;
import java.util.List;

/**
 * What a model must pass before it is packaged or served: the contract's dry runs on the real model, then its
 * golden pairs replayed on this host's CPU. {@code validate} runs it at build time and the serving image at every
 * start, so both judge a model the same way.
 */
public final class StartupCheck {

  private StartupCheck() {}

  /**
   * The verdict on one model.
   *
   * @param dryRun the dry runs' result
   * @param golden one check per golden pair, in order; empty where the dry runs failed or there are no pairs
   */
  public record Verdict(ContractDryRun.Result dryRun, List<Check> golden) {

    public Verdict {
      golden = List.copyOf(golden);
    }

    /** The golden pairs whose outputs differ on this CPU. */
    public List<Check> goldenFailures() {
      return golden.stream().filter(check -> !check.passed()).toList();
    }

    public boolean passed() {
      return dryRun.passed() && goldenFailures().isEmpty();
    }
  }

  /** Dry-runs the model and, where the dry runs pass, replays the golden pairs within the given tolerance. */
  public static Verdict run(ContractModel model, List<GoldenCase> golden, double tolerance) {
    ContractDryRun.Result dryRun = ContractDryRun.run(model);
    return new Verdict(dryRun, dryRun.passed() ? GoldenReplay.replay(model, golden, tolerance) : List.of());
  }
}
