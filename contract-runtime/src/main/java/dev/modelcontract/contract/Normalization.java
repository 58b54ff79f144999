package dev.modelcontract.contract;

import java.util.List;

/**
 * Per-feature scaling along one axis, with training-time statistics (one value per position of that axis).
 * Inputs are scaled before the model sees them; outputs are scaled back with the inverse.
 */
public sealed interface Normalization permits Normalization.Standardization, Normalization.MinMaxScaling {

  /** The axis the statistics run along, as written: negative counts from the last. */
  int axis();

  /** The number of values per statistic. */
  int features();

  /** The axis as an index into a shape of this rank. */
  default int resolvedAxis(int rank) {
    return axis() < 0 ? rank + axis() : axis();
  }

  /**
   * {@code (x - mean) / std}; inverse {@code y * std + mean}.
   *
   * @param mean one value per feature
   * @param std one value per feature, each positive
   * @param axis the feature axis
   */
  record Standardization(List<Double> mean, List<Double> std, int axis) implements Normalization {
    public Standardization {
      mean = List.copyOf(mean);
      std = List.copyOf(std);
    }

    @Override
    public int features() {
      return mean.size();
    }
  }

  /**
   * {@code (x - min) / (max - min)}; inverse {@code y * (max - min) + min}.
   *
   * @param min one value per feature
   * @param max one value per feature, each above its min
   * @param axis the feature axis
   */
  record MinMaxScaling(List<Double> min, List<Double> max, int axis) implements Normalization {
    public MinMaxScaling {
      min = List.copyOf(min);
      max = List.copyOf(max);
    }

    @Override
    public int features() {
      return min.size();
    }
  }
}
