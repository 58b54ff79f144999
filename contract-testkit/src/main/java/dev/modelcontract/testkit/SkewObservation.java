package dev.modelcontract.testkit;

import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.Normalization;
import dev.modelcontract.contract.SkewSpec;
import dev.modelcontract.contract.ValueRange;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.Check;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a server shows on GET /metrics the skew of requests it does not refuse: the input's skew gauges are read
 * before and after a burst of {@value #BURST} copies of the skewed request, and from the two readings (each feature's
 * count, mean shift and std ratio over the window) the burst's own values are recovered exactly, however many values
 * the window held before. They must be the values sent, measured as the server measures them ({@code (x - center) /
 * spread}, center and spread the training mean and std, or the middle of the min-max range and a quarter of it), and
 * they must show the skew: a feature's mean 3 training spreads or more from the training mean, or its spread 3 times
 * training's or more, or a third of it or less.
 *
 * <p>3 is {@link SkewSpec#DEFAULT_WARN}, the level past which the server logs a skew by default. A request of 8 rows
 * drawn from training moves a feature's mean by about {@code 1 / sqrt(8)}, a third of a spread, or less (its rows'
 * steps add values): 3 is 8 such errors away, while the mistakes move the examples' features 8 spreads
 * (already-normalized prices) to thousands (a unit 1000 times smaller). A window that turns between the two readings
 * (every 30 s) drops values the first reading held, which the counts show: the burst is then sent again, up to
 * {@value #TRIES} times.
 */
final class SkewObservation {

  /** How many times the skewed request is sent between the two readings. */
  static final int BURST = 20;
  /** How far a feature must be moved, in training spreads or as a factor of the spread, to show. */
  static final double VISIBLE = SkewSpec.DEFAULT_WARN;
  private static final int TRIES = 3;
  /** How closely the burst recovered from the gauges must match the values sent, relative to {@code 1 + |x|}. */
  private static final double TOLERANCE = 1e-3;

  /**
   * A feature of the burst as the server measures it.
   *
   * @param feature its label on /metrics: its name, else its index
   * @param values how many finite values of it one request holds (or the burst, once read back)
   * @param meanShift their mean's distance from the training center, in training spreads
   * @param stdRatio their standard deviation over the training spread
   */
  record Shown(String feature, long values, double meanShift, double stdRatio) {

    /** How far it is off: its mean shift in spreads, or its spread's factor (either way), whichever is larger. */
    double offBy() {
      return Math.max(Math.abs(meanShift), Math.max(stdRatio, stdRatio == 0 ? Double.POSITIVE_INFINITY
          : 1 / stdRatio));
    }

    boolean visible() {
      return offBy() >= VISIBLE;
    }

    /** Its feature and numbers, e.g. {@code open: mean -8.12 training spreads from the training mean, ...}. */
    String describe() {
      return feature + ": " + numbers();
    }

    /** Its numbers alone. */
    String numbers() {
      return String.format(Locale.ROOT, "mean %+.3g training spreads from the training mean, std ratio %.3g",
          meanShift, stdRatio);
    }
  }

  private SkewObservation() {}

  /** Each feature of an input's tensor (raw, as sent) measured against the input's training statistics. */
  static List<Shown> measure(InputSpec input, Tensor tensor) {
    Normalization normalization = input.normalize().orElseThrow();
    boolean minMax = normalization instanceof Normalization.MinMaxScaling;
    long[] shape = tensor.shape();
    int axis = normalization.resolvedAxis(shape.length);
    int features = normalization.features();
    int inner = (int) Tensor.sizeOf(Arrays.copyOfRange(shape, axis + 1, shape.length));
    long[] count = new long[features];
    double[] sum = new double[features];
    double[] squares = new double[features];
    float[] floats = tensor instanceof FloatTensor f ? f.values() : null;
    double[] doubles = tensor instanceof DoubleTensor d ? d.values() : new double[0];
    int size = floats != null ? floats.length : doubles.length;
    for (int i = 0; i < size; i++) {
      int feature = (i / inner) % features;
      double value = floats != null ? floats[i] : doubles[i];
      if (Double.isFinite(value)) {
        double center = normalization.offset(feature) + (minMax ? normalization.scale(feature) / 2 : 0);
        double z = (value - center) / (normalization.scale(feature) / (minMax ? 4 : 1));
        count[feature]++;
        sum[feature] += z;
        squares[feature] += z * z;
      }
    }
    List<Shown> shown = new ArrayList<>();
    for (int f = 0; f < features; f++) {
      String label = axis == shape.length - 1 ? input.featureLabel(f) : Integer.toString(f);
      shown.add(shown(label, count[f], sum[f], squares[f]));
    }
    return shown;
  }

  /** The feature that shows most. */
  static Shown most(List<Shown> shown) {
    return shown.stream().max(Comparator.comparingDouble(Shown::offBy)).orElseThrow();
  }

  /**
   * Sends the skewed request {@value #BURST} times, each to be answered 200, and judges GET /metrics around them.
   *
   * @param name the check's name
   * @param body the skewed request, as JSON
   * @param input the input whose skew must show
   * @param sent that input's tensor in the request
   * @param mistake what was done to the request, for messages
   */
  static Check judge(ContractClient client, String name, byte[] body, InputSpec input, Tensor sent,
      String mistake) {
    List<Shown> expected = measure(input, sent);
    String model = client.modelName().orElse(null);
    String moved = "";
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      Reading before = read(client, input.name(), model, expected);
      if (before.failure() != null) {
        return Check.fail(name, before.failure());
      }
      for (int request = 1; request <= BURST; request++) {
        Answer answer = client.send(RequestFormat.JSON.mediaType(), null, body);
        if (answer.status() != 200) {
          return Check.fail(name, "request " + request + " of " + BURST + " (" + mistake + "), which the contract"
              + " does not refuse, got status " + answer.status() + ": " + answer.text());
        }
      }
      Reading after = read(client, input.name(), model, expected);
      if (after.failure() != null) {
        return Check.fail(name, after.failure());
      }
      Optional<List<Shown>> burst = burst(before.window(), after.window(), expected);
      if (burst.isEmpty()) {
        moved = counts(before.window(), after.window(), expected);
        continue;
      }
      return judged(name, input, mistake, expected, burst.get(), before.window(), after.window());
    }
    return Check.fail(name, "in each of " + TRIES + " bursts of " + BURST + " requests the values GET /metrics"
        + " counts for '" + input.name() + "' grew by another number than the burst sent (" + moved + "): other"
        + " traffic reached the endpoint meanwhile, or it does not count every value of the requests it answers");
  }

  private static Check judged(String name, InputSpec input, String mistake, List<Shown> expected, List<Shown> burst,
      SkewMetrics.Window before, SkewMetrics.Window after) {
    for (int f = 0; f < expected.size(); f++) {
      Shown sent = expected.get(f);
      Shown seen = burst.get(f);
      if (!close(seen.meanShift(), sent.meanShift()) || !close(seen.stdRatio(), sent.stdRatio())) {
        return Check.fail(name, "GET /metrics shows the burst's " + input.name() + " " + seen.describe()
            + ", where the values sent are at " + sent.numbers()
            + " (" + mistake + "): the server measures them otherwise than against the contract's training"
            + " statistics");
      }
    }
    Shown most = most(burst);
    String window = "the window's mean shift of " + most.feature() + " went from "
        + shift(before.features().get(most.feature())) + " to " + shift(after.features().get(most.feature()));
    String level = ValueRange.format(VISIBLE);
    if (!most.visible()) {
      return Check.fail(name, "GET /metrics shows " + mistake + " as the values sent, and no feature of '"
          + input.name() + "' is " + level + " training spreads off: the most is " + most.describe() + "; "
          + window);
    }
    return Check.pass(name, "answered 200 to " + BURST + " requests (" + mistake + "); GET /metrics, model '"
        + after.model() + "', over the burst's " + most.values() + " values of " + most.describe() + ", past "
        + level + ", where the server logs skew by default; " + window);
  }

  private static String shift(SkewMetrics.Reading reading) {
    return reading.values() == 0 ? "(no values)" : String.format(Locale.ROOT, "%+.3g", reading.meanShift());
  }

  /** The burst's features from the two readings; empty where the counts did not grow by exactly the burst's. */
  private static Optional<List<Shown>> burst(SkewMetrics.Window before, SkewMetrics.Window after,
      List<Shown> expected) {
    List<Shown> burst = new ArrayList<>();
    for (Shown sent : expected) {
      SkewMetrics.Reading first = before.features().get(sent.feature());
      SkewMetrics.Reading second = after.features().get(sent.feature());
      long values = Math.round(second.values() - first.values());
      if (values != sent.values() * BURST || values == 0) {
        return Optional.empty();
      }
      burst.add(shown(sent.feature(), values, second.sum() - first.sum(), second.squares() - first.squares()));
    }
    return Optional.of(burst);
  }

  private static String counts(SkewMetrics.Window before, SkewMetrics.Window after, List<Shown> expected) {
    Map<String, String> grown = new LinkedHashMap<>();
    for (Shown sent : expected) {
      grown.put(sent.feature(), Math.round(after.features().get(sent.feature()).values()
          - before.features().get(sent.feature()).values()) + " of " + sent.values() * BURST);
    }
    return grown.toString();
  }

  private static Shown shown(String feature, long values, double sum, double squares) {
    double mean = values == 0 ? Double.NaN : sum / values;
    double variance = values == 0 ? Double.NaN : Math.max(0, squares / values - mean * mean);
    return new Shown(feature, values, mean, Math.sqrt(variance));
  }

  private static boolean close(double seen, double sent) {
    return Math.abs(seen - sent) <= TOLERANCE * (1 + Math.abs(sent));
  }

  /**
   * A reading of GET /metrics, or why there is none.
   *
   * @param window the input's series; null where the reading failed
   * @param failure what went wrong, as a check's detail; null where it did not
   */
  private record Reading(SkewMetrics.Window window, String failure) {}

  private static Reading read(ContractClient client, String input, String model, List<Shown> expected) {
    Answer answer = client.metrics();
    String where = "GET " + client.endpoint().resolve("/metrics");
    if (answer.status() != 200) {
      return new Reading(null, where + " answered " + answer.status() + ": the skew of an input the contract does"
          + " not refuse shows only on /metrics (modelcontract_input_skew_mean_shift), which this endpoint does not"
          + " serve");
    }
    Optional<SkewMetrics.Window> window;
    try {
      window = SkewMetrics.read(new String(answer.body(), StandardCharsets.UTF_8), input, model);
    } catch (IllegalArgumentException e) {
      return new Reading(null, where + ": " + e.getMessage());
    }
    if (window.isEmpty()) {
      return new Reading(null, where + " has no " + SkewMetrics.MEAN_SHIFT + " series with input=\"" + input + "\""
          + (model == null ? "" : " and model=\"" + model + "\"") + ": the server does not observe the skew of an"
          + " input the contract gives training statistics");
    }
    List<String> missing = expected.stream().map(Shown::feature)
        .filter(feature -> !window.get().features().containsKey(feature)).toList();
    if (!missing.isEmpty()) {
      return new Reading(null, where + " has no skew series for feature " + missing + " of input '" + input
          + "': it labels its features " + window.get().features().keySet() + ", where the contract names them "
          + expected.stream().map(Shown::feature).toList());
    }
    return new Reading(window.get(), null);
  }
}
