package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelcontract.contract.Standardization;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardScalerTest {

  private final StandardScaler scaler = new StandardScaler(new Standardization(List.of(1.0, 10.0), List.of(2.0, 5.0)));

  @Test
  void standardizesEachFeatureWithItsOwnStatistics() {
    float[] values = {3f, 20f, 1f, 0f, -1f, 12.5f};

    scaler.standardize(values);

    assertThat(values).containsExactly(1f, 2f, 0f, -2f, -1f, 0.5f);
  }

  @Test
  void destandardizesEachFeatureWithItsOwnStatistics() {
    float[] values = {1f, 2f, 0f, -2f, -1f, 0.5f};

    scaler.destandardize(values);

    assertThat(values).containsExactly(3f, 20f, 1f, 0f, -1f, 12.5f);
  }

  @Test
  void destandardizeUndoesStandardize() {
    StandardScaler prices = new StandardScaler(new Standardization(List.of(101.5, 0.5), List.of(12.5, 0.25)));
    float[] original = {109.36533f, 0.27897388f, 83.48797f, 0.2571052f};
    float[] values = original.clone();

    prices.standardize(values);
    assertThat(values[0]).isCloseTo((109.36533f - 101.5f) / 12.5f, within(1e-6f));
    assertThat(values[1]).isCloseTo((0.27897388f - 0.5f) / 0.25f, within(1e-6f));
    prices.destandardize(values);

    for (int i = 0; i < original.length; i++) {
      assertThat(values[i]).isCloseTo(original[i], within(1e-4f));
    }
  }
}
