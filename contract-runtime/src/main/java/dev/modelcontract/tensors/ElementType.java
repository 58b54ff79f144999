package dev.modelcontract.tensors;

import dev.modelcontract.contract.DType;

/**
 * How the elements of one named tensor are read.
 *
 * @param dtype the declared element type
 * @param allowNonFinite whether NaN, Infinity and -Infinity are accepted (float types only)
 */
public record ElementType(DType dtype, boolean allowNonFinite) {

  /**
   * The largest float32 magnitude taken: whatever rounds to a finite float. 3.4028235e38, Java's and numpy's
   * spelling of its largest value, is a little above it.
   */
  static final double LARGEST_FLOAT32 = Math.nextDown(Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0);

  /** The largest magnitude a float dtype takes: {@link #LARGEST_FLOAT32}; the others their exact range. */
  public static double largestMagnitude(DType dtype) {
    return dtype == DType.FLOAT32 ? LARGEST_FLOAT32 : dtype.max();
  }
}
