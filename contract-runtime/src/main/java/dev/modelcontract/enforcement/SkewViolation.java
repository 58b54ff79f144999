package dev.modelcontract.enforcement;

import dev.modelcontract.contract.ContractViolation;
import java.util.function.UnaryOperator;

/**
 * A request whose values meet every structural rule of the contract but lie too far from the input's training
 * statistics, refused by the contract's skew guard (422 input-skew).
 */
public final class SkewViolation extends ContractViolation {

  private final String feature;
  private final double shift;
  private final SkewGuard.Diagnosis diagnosis;

  SkewViolation(String input, String pointer, String feature, double shift, SkewGuard.Diagnosis diagnosis,
      String detail) {
    super(input, pointer, detail);
    this.feature = feature;
    this.shift = shift;
    this.diagnosis = diagnosis;
  }

  @Override
  public SkewViolation located(UnaryOperator<String> locate) {
    return new SkewViolation(input(), locate.apply(pointer()), feature, shift, diagnosis, getMessage());
  }

  /** The feature furthest from training, as metrics label it: its name, else its index. */
  public String feature() {
    return feature;
  }

  /** That feature's median over the request, in training standard deviations from the training mean. */
  public double shift() {
    return shift;
  }

  /** What the request looks like, where an explanation fits it far better than the training statistics. */
  public SkewGuard.Diagnosis diagnosis() {
    return diagnosis;
  }
}
