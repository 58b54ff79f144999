package dev.modelcontract.contract;

import java.math.BigDecimal;

/**
 * The values an input accepts, bounds included: token ids within the vocabulary, a category within its table, a
 * probability within [0, 1]. A request holding a value outside is refused before the model sees it.
 *
 * @param min the smallest accepted value; -Infinity where only a maximum is given
 * @param max the largest accepted value; +Infinity where only a minimum is given
 */
public record ValueRange(double min, double max) {

  /**
   * The largest magnitude of an integer input's bound (2^53 - 1, checked with the contract): up to it every integer
   * is a double, so comparing an int64 value as a double against the bound is exact.
   */
  public static final long LARGEST_EXACT_BOUND = (1L << 53) - 1;

  public boolean contains(double value) {
    return value >= min && value <= max;
  }

  /** Exact for bounds within {@link #LARGEST_EXACT_BOUND}: a value past them rounds to a double past them too. */
  public boolean contains(long value) {
    return contains((double) value);
  }

  /** E.g. {@code from 0 to 49}, {@code at least 0}, {@code at most 1.5}. */
  public String describe() {
    if (min == Double.NEGATIVE_INFINITY) {
      return "at most " + format(max);
    }
    if (max == Double.POSITIVE_INFINITY) {
      return "at least " + format(min);
    }
    return "from " + format(min) + " to " + format(max);
  }

  /** A bound as the contract writes it: {@code 49}, not {@code 49.0}. */
  public static String format(double bound) {
    return new BigDecimal(Double.toString(bound)).stripTrailingZeros().toPlainString();
  }
}
