package dev.modelcontract.contract;

import java.util.List;

/**
 * Per-feature standardization on the last axis, with training-time statistics: inputs are served as
 * {@code (x - mean) / std}; outputs are de-standardized as {@code y * std + mean}.
 *
 * @param mean one value per feature
 * @param std one value per feature, each positive
 */
public record Standardization(List<Double> mean, List<Double> std) {

  public Standardization {
    mean = List.copyOf(mean);
    std = List.copyOf(std);
  }

  public int features() {
    return mean.size();
  }
}
