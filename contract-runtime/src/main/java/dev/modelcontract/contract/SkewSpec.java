package dev.modelcontract.contract;

/**
 * How an input with training statistics is watched for skew: always observed (on /metrics, and logged where it
 * holds past {@code warn}); refused per request only where the contract turns the guard on.
 *
 * @param observe whether live values are observed on /metrics (and logged); false saves its cost
 * @param refuse whether a request beyond the limits is refused (422 input-skew)
 * @param limit the farthest a feature's median over a request may lie from the training mean, in training standard
 *     deviations
 * @param odds how many times likelier than the training statistics an explanation (already normalized, swapped
 *     features, another unit) must make a request before it is refused for it
 * @param warn the observed mean's distance from the training mean, in training standard deviations, past which a
 *     skew that holds for a window is logged
 */
public record SkewSpec(boolean observe, boolean refuse, double limit, double odds, double warn) {

  /** The defaults, chosen by measurement: docs/skew.md, "How the defaults were chosen". */
  public static final double DEFAULT_LIMIT = 8;
  public static final double DEFAULT_ODDS = 10_000;
  public static final double DEFAULT_WARN = 3;

  /** Observation only, at the default levels: an input with statistics and no skew block. */
  public static final SkewSpec OBSERVED = new SkewSpec(true, false, DEFAULT_LIMIT, DEFAULT_ODDS, DEFAULT_WARN);
}
