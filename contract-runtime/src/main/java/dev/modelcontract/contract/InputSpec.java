package dev.modelcontract.contract;

import java.util.List;
import java.util.Optional;

/**
 * A named model input as requests send it.
 *
 * @param name the request field name
 * @param dtype the element type
 * @param shape the declared shape, batch axis included when the contract is batched
 * @param normalize the scaling applied before the model sees the input
 * @param allowNonFinite whether NaN and ±Infinity are accepted
 * @param range the values accepted, where the contract bounds them
 * @param defaultValue the JSON value used when a request omits the input (which makes it optional): a scalar
 *     that fills the shape, or an array of the shape without the batch axis
 * @param features the names of the last axis' positions, in order; empty where the contract names none
 * @param skew how the input is watched against its training statistics; present exactly where it has them
 * @param pointer the JSON Pointer of this input in the contract file
 */
public record InputSpec(
    String name,
    DType dtype,
    TensorShape shape,
    Optional<Normalization> normalize,
    boolean allowNonFinite,
    Optional<ValueRange> range,
    Optional<String> defaultValue,
    List<String> features,
    Optional<SkewSpec> skew,
    String pointer) {

  public InputSpec {
    features = List.copyOf(features);
  }

  public boolean optional() {
    return defaultValue.isPresent();
  }

  /**
   * A position of the last axis as messages name it: {@code close (feature 3)} where the contract names the
   * features, else {@code feature 3}.
   */
  public String feature(int index) {
    return index < features.size() ? features.get(index) + " (feature " + index + ")" : "feature " + index;
  }

  /**
   * The named feature a value sits at, as problems add it: {@code " (feature high)"}; empty where the contract names
   * no features.
   *
   * @param shape the tensor's shape, whose last axis the features name
   * @param flat the value's flat (row-major) index
   */
  public String featureAt(long[] shape, int flat) {
    if (features.isEmpty() || shape.length == 0 || shape[shape.length - 1] != features.size()) {
      return "";
    }
    return " (feature " + features.get((int) (flat % features.size())) + ")";
  }

  /** A position of the last axis as metrics label it: its name, else its index. */
  public String featureLabel(int index) {
    return index < features.size() ? features.get(index) : Integer.toString(index);
  }
}
