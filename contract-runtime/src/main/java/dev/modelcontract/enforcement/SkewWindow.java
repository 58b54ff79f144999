package dev.modelcontract.enforcement;

import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Running statistics of one input's raw values per feature over a recent window, against its training statistics:
 * every value's distance from training is summed with its square (and, for min-max scaling, counted when outside the
 * range). The window is two halves: the current one and the last full one, so a reading covers between half a
 * window and a whole one. A skew past the warning level in two halves in a row is logged, at most once per
 * {@code LOG_EVERY} windows for the input.
 */
public final class SkewWindow {

  private static final Logger LOG = LoggerFactory.getLogger(SkewWindow.class);
  /** A std ratio beyond warn (or below 1/warn) is a skew too; an outside share above this for min-max scaling. */
  static final double OUTSIDE_SHARE_WARNING = 0.05;
  /** Fewer values than this in a half window say nothing worth a log line. */
  static final long MIN_VALUES_TO_WARN = 100;
  /** Logged at most once per this many windows. */
  static final int LOG_EVERY = 10;

  private final TrainingStatistics training;
  private final double warn;
  private final long halfNanos;
  private final LongSupplier clock;
  private Moments current;
  private Moments last;
  private long currentStarted;
  /** Whether the last full half was past the warning level. */
  private boolean lastSkewed;
  private long loggedAt;
  private boolean logged;

  SkewWindow(TrainingStatistics training, double warn, long windowNanos, LongSupplier clock) {
    this.training = training;
    this.warn = warn;
    this.halfNanos = Math.max(1, windowNanos / 2);
    this.clock = clock;
    this.current = new Moments(training.features());
    this.last = new Moments(training.features());
    this.currentStarted = clock.getAsLong();
  }

  /** Adds a normalized tensor's values: as the model sees them, one multiply-add from their distance. */
  void observe(Tensor tensor) {
    Moments request = new Moments(training.features());
    request.add(tensor, training);
    long now = clock.getAsLong();
    synchronized (this) {
      rotate(now);
      current.merge(request);
    }
  }

  /** Every feature over the window: the last full half and the current one. */
  public List<FeatureSkew> snapshot() {
    Moments window = new Moments(training.features());
    synchronized (this) {
      rotate(clock.getAsLong());
      window.merge(last);
      window.merge(current);
    }
    return window.skews(training);
  }

  private void rotate(long now) {
    long elapsed = now - currentStarted;
    if (elapsed < halfNanos) {
      return;
    }
    // a half with no request in it at all leaves the reading empty: traffic that stopped says nothing
    last = elapsed < 2 * halfNanos ? current : new Moments(training.features());
    current = new Moments(training.features());
    currentStarted = elapsed < 2 * halfNanos ? currentStarted + halfNanos : now;
    List<String> skewed = skewed(last.skews(training), last.count());
    if (!skewed.isEmpty() && lastSkewed && (!logged || now - loggedAt >= LOG_EVERY * 2 * halfNanos)) {
      logged = true;
      loggedAt = now;
      LOG.warn("input '{}' has been skewed from its training statistics for {} s; over the last {} s: {}; see"
          + " docs/skew.md", training.input().name(), TimeUnit.NANOSECONDS.toSeconds(2 * halfNanos),
          TimeUnit.NANOSECONDS.toSeconds(halfNanos), String.join("; ", skewed));
    }
    lastSkewed = !skewed.isEmpty();
  }

  /** What is past the warning level, one text per feature; empty where nothing is, or too few values came. */
  private List<String> skewed(List<FeatureSkew> skews, long values) {
    List<String> found = new ArrayList<>();
    if (values < MIN_VALUES_TO_WARN * training.features()) {
      return found;
    }
    for (int f = 0; f < skews.size(); f++) {
      FeatureSkew skew = skews.get(f);
      boolean past = Math.abs(skew.meanShift()) > warn || skew.stdRatio() > warn || skew.stdRatio() < 1 / warn
          || skew.outsideShare() > OUTSIDE_SHARE_WARNING;
      if (past) {
        found.add(String.format(java.util.Locale.ROOT, "%s mean %+.2f training std from the training mean, std"
            + " ratio %.3g%s over %d values (training %s)", training.feature(f), skew.meanShift(), skew.stdRatio(),
            Double.isNaN(skew.outsideShare()) ? "" : String.format(java.util.Locale.ROOT, ", %.1f %% outside the"
                + " training range", 100 * skew.outsideShare()), skew.values(), training.describe(f)));
      }
    }
    return found;
  }

  /** Sums of distances from training, and of their squares, per feature. */
  private static final class Moments {
    private final long[] count;
    private final double[] sum;
    private final double[] squares;
    private final long[] outside;

    Moments(int features) {
      count = new long[features];
      sum = new double[features];
      squares = new double[features];
      outside = new long[features];
    }

    long count() {
      long total = 0;
      for (long n : count) {
        total += n;
      }
      return total;
    }

    void add(Tensor tensor, TrainingStatistics training) {
      int features = count.length;
      long[] shape = tensor.shape();
      int axis = training.input().normalize().orElseThrow().resolvedAxis(shape.length);
      int inner = 1;
      for (int a = axis + 1; a < shape.length; a++) {
        inner *= (int) shape[a];
      }
      float[] floats = tensor instanceof FloatTensor f ? f.values() : null;
      double[] doubles = tensor instanceof DoubleTensor d ? d.values() : null;
      int size = floats != null ? floats.length : doubles.length;
      boolean minMax = training.minMax();
      for (int i = 0, f = 0, k = 0; i < size; i++) {
        double value = floats != null ? floats[i] : doubles[i];
        if (Double.isFinite(value)) { // NaN and infinities (allowNonFinite) say nothing about scale
          double z = training.distanceOfNormalized(value);
          sum[f] += z;
          squares[f] += z * z;
          count[f]++;
          if (minMax && (value < 0 || value > 1)) {
            outside[f]++;
          }
        }
        if (++k == inner) {
          k = 0;
          if (++f == features) {
            f = 0;
          }
        }
      }
    }

    void merge(Moments other) {
      for (int f = 0; f < count.length; f++) {
        count[f] += other.count[f];
        sum[f] += other.sum[f];
        squares[f] += other.squares[f];
        outside[f] += other.outside[f];
      }
    }

    List<FeatureSkew> skews(TrainingStatistics training) {
      List<FeatureSkew> skews = new ArrayList<>(count.length);
      for (int f = 0; f < count.length; f++) {
        long n = count[f];
        double mean = n == 0 ? Double.NaN : sum[f] / n;
        double variance = n == 0 ? Double.NaN : Math.max(0, squares[f] / n - mean * mean);
        skews.add(new FeatureSkew(training.input().name(), training.featureLabel(f), n, mean, Math.sqrt(variance),
            !training.minMax() ? Double.NaN : n == 0 ? Double.NaN : (double) outside[f] / n, training.minMax()));
      }
      return skews;
    }
  }
}
