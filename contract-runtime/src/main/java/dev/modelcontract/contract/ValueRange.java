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

  public boolean contains(double value) {
    return value >= min && value <= max;
  }

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
