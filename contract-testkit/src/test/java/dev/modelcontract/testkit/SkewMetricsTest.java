package dev.modelcontract.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading an input's skew series out of a Prometheus text scrape, however its labels are written. */
class SkewMetricsTest {

  private static final String SCRAPE = """
      # HELP modelcontract_input_skew_mean_shift Over the last minute, ...
      # TYPE modelcontract_input_skew_mean_shift gauge
      modelcontract_input_skew_mean_shift{feature="open",input="input_1",model="lstm"} -8.125
      modelcontract_input_skew_mean_shift{input="input_1",model="lstm",feature="say \\"hi\\"\\\\now"} 1.5e3
      modelcontract_input_skew_mean_shift{feature="open",input="input_1",model="other"} 42.0
      modelcontract_input_skew_mean_shift{feature="volume",input="input_2",model="lstm"} NaN
      modelcontract_input_skew_std_ratio{feature="open",input="input_1",model="lstm"} 0.08 1733412000000
      modelcontract_input_skew_values{feature="open",input="input_1",model="lstm"} 320.0
      modelcontract_input_skew_values{feature="say \\"hi\\"\\\\now",input="input_1",model="lstm"} 16
      modelcontract_input_skew_values{feature="volume",input="input_2",model="lstm"} 0.0
      modelcontract_requests_total{path="/invocations",status="200"} 12.0
      """;

  @Test
  void readsAnInputsFeaturesOfTheNamedModelWithEscapedLabelsAndTimestamps() {
    SkewMetrics.Window window = SkewMetrics.read(SCRAPE, "input_1", "lstm").orElseThrow();

    assertThat(window.model()).isEqualTo("lstm");
    assertThat(window.features()).containsOnlyKeys("open", "say \"hi\"\\now");
    assertThat(window.features().get("open")).isEqualTo(new SkewMetrics.Reading(320, -8.125, 0.08));
    assertThat(window.features().get("say \"hi\"\\now").meanShift()).isEqualTo(1500);
    assertThat(window.features().get("open").sum()).isEqualTo(320 * -8.125);
    assertThat(window.features().get("open").squares()).isEqualTo(320 * (0.08 * 0.08 + 8.125 * 8.125));
  }

  @Test
  void aFeatureWithNoValuesSumsToZeroThoughItsMeanIsNaN() {
    SkewMetrics.Reading volume = SkewMetrics.read(SCRAPE, "input_2", null).orElseThrow().features().get("volume");

    assertThat(volume.meanShift()).isNaN();
    assertThat(volume.sum()).isZero();
    assertThat(volume.squares()).isZero();
  }

  @Test
  void anInputOfSeveralModelsNeedsTheModelsName() {
    assertThatThrownBy(() -> SkewMetrics.read(SCRAPE, "input_1", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the skew series of several models name an input 'input_1': [lstm, other]; read them through"
            + " the model's own client");
    assertThat(SkewMetrics.read(SCRAPE, "input_1", "other").orElseThrow().features().get("open").meanShift())
        .isEqualTo(42);
  }

  @Test
  void anInputOrModelWithoutSeriesReadsAsNone() {
    assertThat(SkewMetrics.read(SCRAPE, "input_3", null)).isEmpty();
    assertThat(SkewMetrics.read(SCRAPE, "input_1", "absent")).isEmpty();
    assertThat(SkewMetrics.read("", "input_1", null)).isEmpty();
  }
}
