package dev.modelcontract.tensors;

import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ValueRange;
import java.util.Optional;

/**
 * How the elements of one named tensor are read.
 *
 * @param dtype the declared element type
 * @param allowNonFinite whether NaN, Infinity and -Infinity are accepted (float types only)
 * @param range the values the contract accepts, where it bounds them: quoted when a value is not of the type, so a
 *     refusal names what the input takes rather than what its dtype holds (the binder checks the range itself)
 */
public record ElementType(DType dtype, boolean allowNonFinite, Optional<ValueRange> range) {

  /**
   * The largest float32 magnitude taken: whatever rounds to a finite float. 3.4028235e38, Java's and numpy's
   * spelling of its largest value, is a little above it.
   */
  static final double LARGEST_FLOAT32 = Math.nextDown(Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0);

  /** A type without a range. */
  public ElementType(DType dtype, boolean allowNonFinite) {
    this(dtype, allowNonFinite, Optional.empty());
  }

  /** How a contract's input is read. */
  public static ElementType of(InputSpec input) {
    return new ElementType(input.dtype(), input.allowNonFinite(), input.range());
  }

  /** The largest magnitude a float dtype takes: {@link #LARGEST_FLOAT32}; the others their exact range. */
  public static double largestMagnitude(DType dtype) {
    return dtype == DType.FLOAT32 ? LARGEST_FLOAT32 : dtype.max();
  }
}
