package dev.modelcontract.enforcement;

import dev.modelcontract.contract.JsonPointer;
import dev.modelcontract.contract.SkewSpec;
import dev.modelcontract.tensors.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * The per-request skew guard of one input: each feature's median over the whole request (every row and step, so one
 * odd value moves nothing) and, from a few values on, its spread (the interquartile range) are compared with the
 * training mean and std. A request is refused where a feature's median lies beyond the limit, or where a known
 * mistake explains the request far better than the training statistics do: already normalized, two features
 * swapped, another unit for one feature or all. "Far better" is a likelihood ratio ({@code Fit}): medians as normal
 * draws around the training means, of the variance {@code weight} gives (a request's own population may lie
 * {@code POPULATION_SHIFT} stds away), and spreads as log-normal ones around the training stds; an explanation is
 * taken where it gains more than {@code ln(odds)} in log-likelihood and brings every median within the limit. One
 * value per feature (a single table row) is refused by the limit alone. The calibration behind the constants:
 * SkewCalibrationTest and docs/skew.md. The medians cost a sort of each feature's values.
 */
public final class SkewGuard {

  /** What a refused request looks like, where an explanation fits it. */
  public enum Diagnosis {
    NONE("none"),
    ALREADY_NORMALIZED("already-normalized"),
    FEATURES_SWAPPED("features-swapped"),
    SCALED("scaled");

    private final String slug;

    Diagnosis(String slug) {
      this.slug = slug;
    }

    /** The name problems give it, e.g. {@code already-normalized}. */
    public String slug() {
      return slug;
    }
  }

  /**
   * How far, in training standard deviations, the population a request comes from may lie from training's without
   * being a mistake (one store, one region): SkewCalibrationTest's batches one std away in every feature, and 3 stds
   * in one, pass; already-normalized batches of eight houses are still told.
   */
  static final double POPULATION_SHIFT = 1.5;

  /**
   * The fewest values per feature a request must hold to be refused for an explanation alone: with one, an
   * already-normalized row of a table is as likely an unusual row (measured in SkewCalibrationTest).
   */
  static final int MIN_VALUES_TO_EXPLAIN = 2;

  /** The fewest values per feature whose spread is weighed: an interquartile range needs a few. */
  static final int MIN_VALUES_FOR_SPREAD = 4;
  /** The interquartile range of a normal distribution, in standard deviations. */
  static final double IQR_PER_STD = 1.349;
  /**
   * How much a population's spread may differ from training's without being a mistake: a factor of 3 either way is
   * one standard deviation of the log ratio.
   */
  static final double SPREAD_VARIATION = Math.log(3);
  /** The sampling variance of a log interquartile range, times the values it is taken over. */
  static final double SPREAD_SAMPLING = 1.25;
  /** The smallest spread weighed, in training stds: features of few distinct values (0/1) have none in a batch. */
  static final double SPREAD_FLOOR = 0.05;

  /** The unit changes tried: a value sent in a unit 10, 100 or 1000 times smaller or larger than training's. */
  private static final double[] UNITS = {10, 100, 1000, 0.1, 0.01, 0.001};

  private final TrainingStatistics training;
  private final double limit;
  private final double evidence;

  SkewGuard(TrainingStatistics training, SkewSpec spec) {
    this.training = training;
    this.limit = spec.limit();
    this.evidence = Math.log(spec.odds());
  }

  /**
   * Refuses a request beyond the limits, from its input normalized (as the model sees it; medians and spreads are
   * read back through the normalization's inverse, which keeps their order).
   *
   * @param rows the request's independent rows: its batch size, 1 for a contract without a batch axis
   */
  void check(Tensor normalized, long rows) throws SkewViolation {
    double[][] values = training.valuesByFeature(normalized);
    int features = values.length;
    double[] medians = new double[features];
    double[] spreads = new double[features];
    boolean[] judged = new boolean[features];
    int counted = Integer.MAX_VALUE;
    for (int f = 0; f < features; f++) {
      double[] finite = finite(values[f]);
      if (finite.length == 0) {
        continue; // NaN only (allowNonFinite): nothing to judge in this feature
      }
      judged[f] = true;
      counted = Math.min(counted, finite.length);
      Arrays.sort(finite);
      medians[f] = training.denormalized(f, quantile(finite, 0.5));
      spreads[f] = (quantile(finite, 0.75) - quantile(finite, 0.25)) / IQR_PER_STD
          * training.scale(f);
    }
    if (counted == Integer.MAX_VALUE) {
      return;
    }
    Fit fit = new Fit(weight(rows, counted / rows), counted >= MIN_VALUES_FOR_SPREAD
        ? 1 / (SPREAD_VARIATION * SPREAD_VARIATION + SPREAD_SAMPLING / counted) : 0, judged);
    double[] distance = new double[features];
    int worst = -1;
    for (int f = 0; f < features; f++) {
      distance[f] = judged[f] ? training.distance(f, medians[f]) : 0;
      if (judged[f] && (worst < 0 || Math.abs(distance[f]) > Math.abs(distance[worst]))) {
        worst = f;
      }
    }
    boolean beyondLimit = Math.abs(distance[worst]) > limit;
    double misfit = fit.of(training, medians, spreads);
    // An explanation can gain at most the training statistics' own misfit: where that is short of the evidence
    // asked for, none is sought.
    Explanation best = misfit / 2 > evidence ? explain(medians, spreads, misfit, fit) : null;
    // One value per feature (one row of a table) cannot tell a mistake from an unusual row: there an explanation
    // only names what a request beyond the limit looks like.
    if (!beyondLimit && (best == null || counted < MIN_VALUES_TO_EXPLAIN)) {
      return;
    }
    throw violation(worst, distance[worst], counted, best);
  }

  /** The explanation that fits best, where it fits by more than the evidence asked for; else null. */
  private Explanation explain(double[] medians, double[] spreads, double misfit, Fit fit) {
    int features = medians.length;
    Explanation best = null;
    // already normalized: the raw values stood for are the normalization's inverse
    double[] centers = new double[features];
    double[] widths = new double[features];
    for (int f = 0; f < features; f++) {
      centers[f] = training.denormalized(f, medians[f]);
      widths[f] = spreads[f] * training.scale(f);
    }
    best = better(best, new Explanation(Diagnosis.ALREADY_NORMALIZED, -1, -1, 1,
        (misfit - fit.of(training, centers, widths)) / 2), centers, fit.judged());
    for (double unit : UNITS) {
      for (int f = -1; f < features; f++) {
        if (f < 0 && features == 1) {
          continue;
        }
        for (int g = 0; g < features; g++) {
          boolean scaled = f < 0 || g == f;
          centers[g] = scaled ? medians[g] / unit : medians[g];
          widths[g] = scaled ? spreads[g] / unit : spreads[g];
        }
        best = better(best, new Explanation(Diagnosis.SCALED, f, -1, unit,
            (misfit - fit.of(training, centers, widths)) / 2), centers, fit.judged());
      }
    }
    for (int i = 0; i < features; i++) {
      for (int j = i + 1; j < features; j++) {
        System.arraycopy(medians, 0, centers, 0, features);
        System.arraycopy(spreads, 0, widths, 0, features);
        centers[i] = medians[j];
        centers[j] = medians[i];
        widths[i] = spreads[j];
        widths[j] = spreads[i];
        best = better(best, new Explanation(Diagnosis.FEATURES_SWAPPED, i, j, 1,
            (misfit - fit.of(training, centers, widths)) / 2), centers, fit.judged());
      }
    }
    return best != null && best.gain() > evidence ? best : null;
  }

  /**
   * How a request's feature statistics are weighed against training's, in log-likelihood: each judged feature's
   * median as a normal draw around the training mean with the variance {@link #weight} gives, and, from
   * {@value #MIN_VALUES_FOR_SPREAD} values on, its spread (the interquartile range, as a std) as a log-normal draw
   * around the training std, allowing populations a factor of {@link #SPREAD_VARIATION} either way.
   *
   * @param location the weight of a squared distance of the median, in training stds
   * @param spread the weight of a squared log ratio of the spreads; 0 where too few values make one
   */
  private record Fit(double location, double spread, boolean[] judged) {

    /** Twice the negative log-likelihood, less constants, of features of these medians and spreads. */
    double of(TrainingStatistics training, double[] centers, double[] widths) {
      double total = 0;
      for (int f = 0; f < centers.length; f++) {
        if (!judged[f]) {
          continue;
        }
        double d = training.distance(f, centers[f]);
        total += location * d * d;
        if (spread > 0) {
          double ratio = Math.log(Math.max(Math.abs(widths[f]), SPREAD_FLOOR * training.spread(f))
              / training.spread(f));
          total += spread * ratio * ratio;
        }
      }
      return total;
    }
  }

  /**
   * How much a request's feature medians weigh as evidence: the inverse of their variance, in training variances.
   * A median varies by its own sampling (one row: as much as a value; two rows: as their mean; more: about
   * {@code pi / (2 rows)}, the median's inefficiency against the mean; the steps of one sequence are not independent
   * of each other and count as one row), and by how far the population a request's rows come from may differ from
   * training's (one store, one region, one season): {@link #POPULATION_SHIFT} standard deviations, allowed for, so
   * that a large batch from a legitimately shifted population is not read as a mistake.
   */
  static double weight(long rows, long perRow) {
    double sampling = rows == 1 ? 1 : rows == 2 && perRow == 1 ? 0.5 : Math.PI / (2 * rows);
    return 1 / (sampling + POPULATION_SHIFT * POPULATION_SHIFT);
  }

  /**
   * The explanation with the larger gain, of those that bring every feature's median within the limit (a feature
   * still far out once explained is not explained); a whole input's unit wins a tie over one feature's.
   */
  private Explanation better(Explanation best, Explanation candidate, double[] centers, boolean[] judged) {
    for (int f = 0; f < centers.length; f++) {
      if (judged[f] && Math.abs(training.distance(f, centers[f])) > limit) {
        return best;
      }
    }
    return best == null || candidate.gain() > best.gain() * (1 + 1e-9) ? candidate : best;
  }

  private SkewViolation violation(int worst, double shift, int values, Explanation explanation) {
    String name = training.input().name();
    StringBuilder detail = new StringBuilder(String.format(Locale.ROOT, "input '%s': %s has its median %s training"
        + " standard deviations from the training mean over this request's %s (training %s", name,
        training.feature(worst), signed(shift), values == 1 ? "one value" : values + " values",
        training.describe(worst)));
    detail.append(training.minMax() ? "; for min-max scaling a quarter of the range counts as one standard deviation"
        : "").append(String.format(Locale.ROOT, "; the contract's skew limit is %s)", number(limit)));
    Diagnosis diagnosis = explanation == null ? Diagnosis.NONE : explanation.diagnosis();
    detail.append(explanation == null ? "; no known mistake (already normalized values, swapped features, another"
        + " unit) explains it: check what the caller sends, or raise skew.limit if such values are real"
        : "; " + describe(explanation));
    return new SkewViolation(name, "/" + JsonPointer.escape(name), training.featureLabel(worst), shift, diagnosis,
        detail.toString());
  }

  private String describe(Explanation explanation) {
    String likelier = " fits the training statistics " + likelier(explanation.gain()) + " better";
    return switch (explanation.diagnosis()) {
      case ALREADY_NORMALIZED -> "these values look already normalized: read as normalized values (mean 0, std 1"
          + " in training's units) the request" + likelier + "; send raw values, the server normalizes them as"
          + " training did";
      case FEATURES_SWAPPED -> training.feature(explanation.feature()) + " and "
          + training.feature(explanation.other()) + " look swapped: with the two exchanged the request" + likelier
          + "; send the features in the contract's order" + order();
      case SCALED -> (explanation.feature() < 0 ? "these values look " : training.feature(explanation.feature())
          + " looks ") + scale(explanation.unit()) + " the training scale: divided by " + number(explanation.unit())
          + " the request" + likelier + "; check the unit upstream (cents for dollars, milliseconds for seconds, …)";
      case NONE -> "";
    };
  }

  private String order() {
    return training.input().features().isEmpty() ? "" : " " + training.input().features();
  }

  private static String scale(double unit) {
    return unit >= 1 ? number(unit) + "×" : "1/" + number(1 / unit) + " of";
  }

  /** The likelihood ratio as an order of magnitude, e.g. {@code 10^12 times}. */
  private String likelier(double gain) {
    double decades = gain / Math.log(10);
    return decades > 300 ? "more than 10^300 times" : String.format(Locale.ROOT, "10^%.0f times", Math.floor(decades));
  }

  private static String signed(double value) {
    return (value >= 0 ? "+" : "") + number(value);
  }

  public static String number(double value) {
    double rounded = Math.abs(value) >= 100 ? Math.rint(value) : Math.rint(value * 100) / 100;
    return rounded == Math.rint(rounded) && Math.abs(rounded) < 1e15 ? Long.toString((long) rounded)
        : Double.toString(rounded);
  }

  private static double[] finite(double[] values) {
    int n = 0;
    for (double value : values) {
      if (Double.isFinite(value)) {
        n++;
      }
    }
    if (n == values.length) {
      return values;
    }
    double[] finite = new double[n];
    n = 0;
    for (double value : values) {
      if (Double.isFinite(value)) {
        finite[n++] = value;
      }
    }
    return finite;
  }

  /** A quantile of sorted values, interpolated between the two nearest. */
  static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }

  /**
   * A mistake that explains the request.
   *
   * @param feature the feature it concerns, -1 for all
   * @param other the second feature of a swap, else -1
   * @param unit the factor the values were sent at, 1 where none
   * @param gain the log-likelihood it gains over the training statistics
   */
  private record Explanation(Diagnosis diagnosis, int feature, int other, double unit, double gain) {}
}
