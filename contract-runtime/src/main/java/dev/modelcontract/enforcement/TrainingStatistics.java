package dev.modelcontract.enforcement;

import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.Normalization;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.Tensor;
import java.util.Arrays;

/**
 * An input's training statistics as skew is measured against them: per feature a center and a spread
 * ({@link Normalization#center}, {@link Normalization#spread}), and a value's distance from training as
 * {@code (x - center) / spread}.
 */
final class TrainingStatistics {

  private final InputSpec input;
  private final Normalization normalization;
  private final double[] center;
  private final double[] spread;

  TrainingStatistics(InputSpec input) {
    this.input = input;
    this.normalization = input.normalize().orElseThrow();
    int features = normalization.features();
    center = new double[features];
    spread = new double[features];
    for (int f = 0; f < features; f++) {
      center[f] = normalization.center(f);
      spread[f] = normalization.spread(f);
    }
  }

  InputSpec input() {
    return input;
  }

  int features() {
    return center.length;
  }

  boolean minMax() {
    return normalization instanceof Normalization.MinMaxScaling;
  }

  double center(int feature) {
    return center[feature];
  }

  double spread(int feature) {
    return spread[feature];
  }

  /** What a normalized value is multiplied by to read it back: the std, or max - min. */
  double scale(int feature) {
    return normalization.scale(feature);
  }

  /** A raw value's distance from training, in spreads. */
  double distance(int feature, double value) {
    return (value - center[feature]) / spread[feature];
  }

  /**
   * A normalized value's distance from training, in spreads: the value itself for standardization, {@code 4u - 2}
   * for min-max scaling (the range's middle at 0, its ends at ±2).
   */
  double distanceOfNormalized(double value) {
    return minMax() ? 4 * value - 2 : value;
  }

  /** The raw value that a value already normalized stands for: the normalization's inverse. */
  double denormalized(int feature, double value) {
    return value * normalization.scale(feature) + normalization.offset(feature);
  }

  /** The feature as messages name it, e.g. {@code close (feature 3)}. */
  String feature(int feature) {
    return normalization.resolvedAxis(input.shape().rank()) == input.shape().rank() - 1 ? input.feature(feature)
        : "feature " + feature;
  }

  /** The feature as metrics label it: its name, else its index. */
  String featureLabel(int feature) {
    return normalization.resolvedAxis(input.shape().rank()) == input.shape().rank() - 1
        ? input.featureLabel(feature) : Integer.toString(feature);
  }

  /** The training statistics of a feature, as messages quote them, e.g. {@code mean 100.0, std 12.0}. */
  String describe(int feature) {
    return normalization instanceof Normalization.MinMaxScaling range
        ? "range [" + range.min().get(feature) + ", " + range.max().get(feature) + "]"
        : "mean " + center[feature] + ", std " + spread[feature];
  }

  /** Each feature's values of a tensor, in order: {@code [feature][k]}. Only float tensors are normalized. */
  double[][] valuesByFeature(Tensor tensor) {
    long[] shape = tensor.shape();
    int axis = normalization.resolvedAxis(shape.length);
    int features = (int) shape[axis];
    int inner = (int) Tensor.sizeOf(Arrays.copyOfRange(shape, axis + 1, shape.length));
    int size = tensor.size();
    int perFeature = features == 0 ? 0 : size / features;
    double[][] values = new double[features][perFeature];
    int[] next = new int[features];
    float[] floats = tensor instanceof FloatTensor f ? f.values() : null;
    double[] doubles = tensor instanceof DoubleTensor d ? d.values() : null;
    for (int i = 0; i < size; i++) {
      int feature = (i / inner) % features;
      values[feature][next[feature]++] = floats != null ? floats[i] : doubles[i];
    }
    return values;
  }
}
