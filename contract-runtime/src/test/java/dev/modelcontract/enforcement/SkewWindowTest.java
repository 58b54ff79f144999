package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The observed skew of one input over a window of two halves, on a clock the test moves: what the snapshot reads for
 * values worked out by hand, when values leave it, and when a skew is logged. slf4j-simple (the runtime's backend)
 * writes to whatever System.err is at the time, which the log tests capture.
 */
class SkewWindowTest {

  private static final long WINDOW = TimeUnit.SECONDS.toNanos(60);
  private static final long HALF = WINDOW / 2;
  private static final double WARN = 3;
  private static final String LOGGED = "has been skewed from its training statistics";

  /** x: a (mean 10, std 2) and b (mean 0, std 0.5), standardized; m: level, min-max over [0, 100]. */
  private static final ModelContract CONTRACT = TestContracts.read("""
      version: 1
      model: {file: model.pt}
      dims:
        batch: {max: 1024}
      batch:
        dim: batch
      inputs:
        - name: x
          dtype: float32
          shape: [batch, 2]
          features: [a, b]
          normalize: {mean: [10, 0], std: [2, 0.5]}
        - name: m
          dtype: float32
          shape: [batch, 1]
          features: [level]
          normalize: {min: [0], max: [100]}
      forward:
        arguments:
          - input: x
          - input: m
        returns: tuple
      outputs:
        - name: y
          index: 0
          dtype: float32
          shape: [batch, 1]
      """);

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  private SkewWindow window(String input) {
    return new SkewWindow(new TrainingStatistics(input(input)), WARN, WINDOW, clock::get);
  }

  private static InputSpec input(String name) {
    return CONTRACT.inputs().stream().filter(input -> input.name().equals(name)).findFirst().orElseThrow();
  }

  /** Raw values of rows, normalized as the window receives them. */
  private static Tensor normalized(String input, int features, float... raw) {
    Tensor tensor = new FloatTensor(new long[] {raw.length / features, features}, raw.clone());
    new FeatureScaler(input(input).normalize().orElseThrow()).normalize(tensor);
    return tensor;
  }

  @Test
  void theSnapshotReadsEachFeaturesDistanceFromTraining() {
    SkewWindow x = window("x");
    SkewWindow m = window("m");

    // a: 12, 14, 8, 10 are 1, 2, -1, 0 std from mean 10 (std 2): mean 0.5, mean square 6/4, variance 1.5 - 0.25
    // b: 0.5, 1, 0, 0.5 are 1, 2, 0, 1 std from mean 0 (std 0.5): mean 1, mean square 6/4, variance 1.5 - 1
    x.observe(normalized("x", 2, 12, 0.5f, 14, 1, 8, 0, 10, 0.5f));
    // level over [0, 100], its middle 50 and a quarter of it 25: 50, 150, -10, 100 are 0, 4, -2.4, 2 from it;
    // mean 3.6 / 4, mean square (16 + 5.76 + 4) / 4 = 6.44; 150 and -10 (not 100, the range's end) are outside
    m.observe(normalized("m", 1, 50, 150, -10, 100));

    List<FeatureSkew> xs = x.snapshot();
    assertThat(xs).extracting(FeatureSkew::input, FeatureSkew::feature, FeatureSkew::values)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("x", "a", 4L),
            org.assertj.core.groups.Tuple.tuple("x", "b", 4L));
    assertThat(xs.get(0).meanShift()).isCloseTo(0.5, within(1e-6));
    assertThat(xs.get(0).stdRatio()).isCloseTo(Math.sqrt(1.25), within(1e-6));
    assertThat(xs.get(0).outsideShare()).as("standardization has no range").isNaN();
    assertThat(xs.get(1).meanShift()).isCloseTo(1, within(1e-6));
    assertThat(xs.get(1).stdRatio()).isCloseTo(Math.sqrt(0.5), within(1e-6));
    FeatureSkew level = m.snapshot().get(0);
    assertThat(level.feature()).isEqualTo("level");
    assertThat(level.values()).isEqualTo(4);
    assertThat(level.meanShift()).isCloseTo(0.9, within(1e-6));
    assertThat(level.stdRatio()).isCloseTo(Math.sqrt(6.44 - 0.81), within(1e-6));
    assertThat(level.outsideShare()).isEqualTo(0.5);
  }

  @Test
  void aReadingCoversTheLastFullHalfAndTheCurrentOneAndAWholeWindowWithoutRequestsLeavesItEmpty() {
    SkewWindow x = window("x");
    x.observe(normalized("x", 2, 12, 0.5f));
    clock.addAndGet(HALF + HALF / 3); // 40 s: the first half is the last full one, still read
    x.observe(normalized("x", 2, 8, -0.5f));

    assertThat(x.snapshot().get(0).values()).isEqualTo(2);
    assertThat(x.snapshot().get(0).meanShift()).isCloseTo(0, within(1e-6)); // +1 and -1

    clock.addAndGet(HALF); // 70 s: the half of the first request has left the window; the 40 s one is read
    FeatureSkew a = x.snapshot().get(0);
    assertThat(a.values()).isEqualTo(1);
    assertThat(a.meanShift()).isCloseTo(-1, within(1e-6));

    clock.addAndGet(WINDOW); // a whole window without requests
    a = x.snapshot().get(0);
    assertThat(a.values()).isZero();
    assertThat(a.meanShift()).isNaN();
    assertThat(a.stdRatio()).isNaN();
  }

  @Test
  void aSkewHeldForTwoHalvesIsLoggedOnceNamingTheFeatureAndItsNumbersAndNotAgainWithinTenWindows() {
    SkewWindow x = window("x");

    String log = captured(() -> {
      x.observe(rows(100, true)); // first half
      clock.addAndGet(HALF);
      x.observe(rows(100, true)); // second half: the first is past the level, but alone
    });
    assertThat(log).doesNotContain(LOGGED);

    log = captured(() -> {
      clock.addAndGet(HALF);
      x.observe(rows(100, true)); // the second half closes, past the level as the first was
    });
    assertThat(lines(log)).as(log).hasSize(1);
    assertThat(log).contains("WARN").contains("input 'x' has been skewed from its training statistics for 60 s; over the last 30 s:")
        .contains("a (feature 0) mean +5.00 training std from the training mean, std ratio 1.00 over 100 values"
            + " (training mean 10.0, std 2.0)")
        .doesNotContain("b (feature 1)");

    // held for the next ten windows: not logged again until ten windows after the line
    log = captured(() -> {
      for (int half = 3; half < 2 * SkewWindow.LOG_EVERY + 2; half++) {
        clock.addAndGet(HALF);
        x.observe(rows(100, true));
      }
    });
    assertThat(log).doesNotContain(LOGGED);
    log = captured(() -> {
      clock.addAndGet(HALF);
      x.observe(rows(100, true));
    });
    assertThat(lines(log)).as("ten windows after the first line").hasSize(1);
  }

  @Test
  void aSkewInOneHalfAtATimeIsNotLogged() {
    SkewWindow x = window("x");

    String log = captured(() -> {
      for (int half = 0; half < 12; half++) {
        x.observe(rows(100, half % 2 == 0));
        clock.addAndGet(HALF);
      }
      x.snapshot();
    });

    assertThat(log).doesNotContain(LOGGED);
  }

  @Test
  void fewerThanAHundredValuesPerFeatureInAHalfAreNotLogged() {
    SkewWindow x = window("x");

    String log = captured(() -> {
      for (int half = 0; half < 12; half++) {
        x.observe(rows(SkewWindow.MIN_VALUES_TO_WARN - 1, true));
        clock.addAndGet(HALF);
      }
      x.snapshot();
    });

    assertThat(log).doesNotContain(LOGGED);
    // 50 rows at +6 std and 49 at +4: past the warning level all the same
    assertThat(x.snapshot().get(0).meanShift()).as("skewed all the same").isCloseTo(5 + 1 / 99.0, within(1e-6))
        .isGreaterThan(WARN);
  }

  @Test
  void aMinMaxFeatureWithMoreThanItsShareOutsideTheRangeIsLoggedWithTheShare() {
    SkewWindow m = window("m");
    // 90 values spread evenly over [0, 100] (mean shift 0) and 10 at 150: mean shift 0.4 and std ratio 1.6, both
    // within the warning level; 10 % outside the range is not
    float[] raw = new float[100];
    for (int i = 0; i < 90; i++) {
      raw[i] = (i + 0.5f) * 100 / 90;
    }
    java.util.Arrays.fill(raw, 90, 100, 150);

    String log = captured(() -> {
      for (int half = 0; half < 3; half++) {
        m.observe(normalized("m", 1, raw));
        clock.addAndGet(HALF);
      }
      m.snapshot();
    });

    assertThat(lines(log)).as(log).hasSize(1);
    assertThat(log).contains("input 'm'").contains("level (feature 0) mean +0.40")
        .contains("10.0 % outside the training range over 100 values (training range [0.0, 100.0])");
  }

  /**
   * {@code count} rows of x, b alternating 1 std either side of its mean; a likewise around its mean, or (skewed)
   * around 5 std above it: mean shift 5 and std ratio 1.
   */
  private static Tensor rows(long count, boolean skewed) {
    float[] raw = new float[(int) count * 2];
    for (int row = 0; row < count; row++) {
      double z = (skewed ? 5 : 0) + (row % 2 == 0 ? 1 : -1);
      raw[2 * row] = (float) (10 + 2 * z);
      raw[2 * row + 1] = row % 2 == 0 ? 0.5f : -0.5f;
    }
    return normalized("x", 2, raw);
  }

  private static List<String> lines(String log) {
    return log.lines().filter(line -> line.contains(LOGGED)).toList();
  }

  /** What was written to System.err while running: where slf4j-simple writes. */
  private static String captured(Runnable running) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      running.run();
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
