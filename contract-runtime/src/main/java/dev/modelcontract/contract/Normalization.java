package dev.modelcontract.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-feature scaling along one axis, with training-time statistics (one value per position of that axis).
 * Inputs are scaled before the model sees them; outputs are scaled back with the inverse. A statistic the contract
 * writes as one number is held as that number for every feature, so both spellings make equal normalizations.
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

  /** The statistics as the contract names them, in order: mean and std, or min and max. */
  Map<String, List<Double>> statistics();

  /** Per feature, what is subtracted from a value: the mean, or the min. */
  double offset(int feature);

  /** Per feature, what a value less its offset is divided by: the std, or max - min. Positive when valid. */
  double scale(int feature);

  /**
   * Per feature, the middle of the training values as skew is measured against it: the mean, or the middle of the
   * range.
   */
  double center(int feature);

  /**
   * Per feature, the spread of the training values as skew is measured in it: the std, or a quarter of the range (so
   * that the range is center ± 2 spreads, as a normal distribution's 95 % range is).
   */
  double spread(int feature);

  /** What makes a feature's scale not positive, in the contract's terms, e.g. "max 1.0 not above min 2.0". */
  String describeScale(int feature);

  /** How to make every feature's scale positive, in the contract's terms. */
  String scaleFix();

  /** The statistics as written, e.g. "mean [1.0, 2.0] std [0.5, 0.5]". */
  default String describe() {
    StringBuilder text = new StringBuilder();
    statistics().forEach((name, values) -> text.append(text.isEmpty() ? "" : " ").append(name).append(' ')
        .append(values));
    return text.toString();
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

    @Override
    public Map<String, List<Double>> statistics() {
      Map<String, List<Double>> statistics = new LinkedHashMap<>();
      statistics.put("mean", mean);
      statistics.put("std", std);
      return statistics;
    }

    @Override
    public double offset(int feature) {
      return mean.get(feature);
    }

    @Override
    public double scale(int feature) {
      return std.get(feature);
    }

    @Override
    public double center(int feature) {
      return mean.get(feature);
    }

    @Override
    public double spread(int feature) {
      return std.get(feature);
    }

    @Override
    public String describeScale(int feature) {
      return "std " + std.get(feature) + " not above 0";
    }

    @Override
    public String scaleFix() {
      return "give each feature a std above 0";
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

    @Override
    public Map<String, List<Double>> statistics() {
      Map<String, List<Double>> statistics = new LinkedHashMap<>();
      statistics.put("min", min);
      statistics.put("max", max);
      return statistics;
    }

    @Override
    public double offset(int feature) {
      return min.get(feature);
    }

    @Override
    public double scale(int feature) {
      return max.get(feature) - min.get(feature);
    }

    @Override
    public double center(int feature) {
      return (min.get(feature) + max.get(feature)) / 2;
    }

    @Override
    public double spread(int feature) {
      return scale(feature) / 4;
    }

    @Override
    public String describeScale(int feature) {
      return "max " + max.get(feature) + " not above min " + min.get(feature);
    }

    @Override
    public String scaleFix() {
      return "give each feature a max above its min";
    }
  }
}
