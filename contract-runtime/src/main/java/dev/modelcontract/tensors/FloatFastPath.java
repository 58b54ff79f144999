package dev.modelcontract.tensors;

/**
 * The float32 value of a decimal number from its significand and power of ten, without reading its text again:
 * exactly what parsing it to the correctly rounded double and then casting to float gives (the JSON reader's
 * rule, and Python's: json to float, then numpy's float32), or NaN where that cannot be guaranteed cheaply, and the
 * caller parses the text.
 *
 * <p>With at most 18 significant digits and a power of ten within ±22, {@code significand × 10^power} is computed
 * in double arithmetic: exactly rounded when the significand fits in 53 bits (both operands are exact doubles, one
 * operation rounds: Clinger's fast path); otherwise within two units in the last place of the correctly rounded
 * double, since the significand's conversion and the operation each round once. The cast to float then gives the
 * same result for both doubles unless a float rounding midpoint (a double whose 29 bits below float precision are
 * {@code 1000…0}) lies that close, which is tested; outside float's normal range the caller decides.
 */
final class FloatFastPath {

  /** Significant digits a long holds for any value of them. */
  static final int MAX_DIGITS = 18;

  private static final double[] POWERS_OF_TEN = new double[23];
  private static final long EXACT_SIGNIFICAND = 1L << 53;
  /** The bits of a double below float precision, and their pattern at a midpoint between two floats. */
  private static final long BELOW_FLOAT = (1L << 29) - 1;
  private static final long MIDPOINT = 1L << 28;
  /** How near a midpoint, in units of the double's last place, is too near to be sure. */
  private static final long MARGIN = 4;

  static {
    double power = 1;
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = power;
      power *= 10;
    }
  }

  private FloatFastPath() {}

  /**
   * @param negative whether the number has a minus sign
   * @param significand its significant digits as an integer (e.g. 953754653930664 for 95.3754653930664)
   * @param digits how many significant digits the number has (more than {@link #MAX_DIGITS}: not all are in the
   *     significand)
   * @param power the power of ten the significand is scaled by (e.g. -13)
   * @return the float, or NaN where the caller must parse the text
   */
  static float parse(boolean negative, long significand, int digits, int power) {
    if (digits > MAX_DIGITS || power < -22 || power > 22) {
      return Float.NaN;
    }
    if (significand == 0) {
      return negative ? -0f : 0f;
    }
    double value = power >= 0 ? (double) significand * POWERS_OF_TEN[power]
        : (double) significand / POWERS_OF_TEN[-power];
    if (!(value >= 0x1p-125 && value < 0x1p127)) {
      return Float.NaN; // near or past float's subnormal and overflow edges
    }
    if (significand >= EXACT_SIGNIFICAND
        && Math.abs((Double.doubleToRawLongBits(value) & BELOW_FLOAT) - MIDPOINT) <= MARGIN) {
      return Float.NaN;
    }
    float rounded = (float) value;
    return negative ? -rounded : rounded;
  }
}
