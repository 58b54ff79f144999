package dev.modelcontract.enforcement;

import dev.modelcontract.contract.Standardization;

/** Per-feature standardization on the last axis, compiled once from the contract's statistics. */
public final class StandardScaler {

  private final float[] mean;
  private final float[] std;

  public StandardScaler(Standardization stats) {
    this.mean = toFloats(stats.mean().stream().mapToDouble(Double::doubleValue).toArray());
    this.std = toFloats(stats.std().stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** {@code (x - mean) / std} in place, as training did. */
  public void standardize(float[] values) {
    int features = mean.length;
    for (int row = 0; row < values.length; row += features) {
      for (int f = 0; f < features; f++) {
        values[row + f] = (values[row + f] - mean[f]) / std[f];
      }
    }
  }

  /** {@code y * std + mean} in place: the model's scale back to the training target's. */
  public void destandardize(float[] values) {
    int features = mean.length;
    for (int row = 0; row < values.length; row += features) {
      for (int f = 0; f < features; f++) {
        values[row + f] = values[row + f] * std[f] + mean[f];
      }
    }
  }

  private static float[] toFloats(double[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }
}
