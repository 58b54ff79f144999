package dev.modelcontract.testkit;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The observed skew of one input as GET /metrics reports it (Prometheus' text format): per feature, the values the
 * window holds ({@value #VALUES}), their mean's distance from training ({@value #MEAN_SHIFT}) and their spread over
 * training's ({@value #STD_RATIO}). Series are told apart by their {@code model}, {@code input} and {@code feature}
 * labels, in any order, their values escaped as the format escapes them.
 */
final class SkewMetrics {

  static final String MEAN_SHIFT = "modelcontract_input_skew_mean_shift";
  static final String STD_RATIO = "modelcontract_input_skew_std_ratio";
  static final String VALUES = "modelcontract_input_skew_values";

  /**
   * One feature's reading over the server's window.
   *
   * @param values how many values the window holds
   * @param meanShift their mean, less the training mean, in training spreads; NaN where it holds none
   * @param stdRatio their standard deviation over the training one; NaN where it holds none
   */
  record Reading(double values, double meanShift, double stdRatio) {

    /** The sum of the values' distances from training, in training spreads. */
    double sum() {
      return values == 0 ? 0 : values * meanShift;
    }

    /** The sum of their squares. */
    double squares() {
      return values == 0 ? 0 : values * (stdRatio * stdRatio + meanShift * meanShift);
    }
  }

  /**
   * One input's readings.
   *
   * @param model the {@code model} label they carry
   * @param features each feature's reading, by its {@code feature} label
   */
  record Window(String model, Map<String, Reading> features) {}

  private SkewMetrics() {}

  /**
   * The readings of an input in a scrape.
   *
   * @param text the body of GET /metrics
   * @param input the input's name ({@code input} label)
   * @param model the model's name ({@code model} label) on a multi-model endpoint; null to take the one model whose
   *     series have that input
   * @return empty where no skew series names the input (and model)
   * @throws IllegalArgumentException where no model is given and the series of several models name the input
   */
  static Optional<Window> read(String text, String input, String model) {
    Map<String, double[]> byFeature = new LinkedHashMap<>();
    Set<String> models = new LinkedHashSet<>();
    for (String line : text.split("\n")) {
      Series series = Series.parse(line.strip());
      if (series == null || !input.equals(series.labels().get("input"))
          || (model != null && !model.equals(series.labels().get("model")))) {
        continue;
      }
      int slot = switch (series.name()) {
        case VALUES -> 0;
        case MEAN_SHIFT -> 1;
        case STD_RATIO -> 2;
        default -> -1;
      };
      if (slot < 0 || !series.labels().containsKey("feature")) {
        continue;
      }
      models.add(series.labels().getOrDefault("model", ""));
      byFeature.computeIfAbsent(series.labels().get("feature"), feature -> new double[] {0, Double.NaN, Double.NaN})
          [slot] = series.value();
    }
    if (models.size() > 1) {
      throw new IllegalArgumentException("the skew series of several models name an input '" + input + "': "
          + models + "; read them through the model's own client");
    }
    if (byFeature.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Reading> features = new LinkedHashMap<>();
    byFeature.forEach((feature, read) -> features.put(feature, new Reading(read[0], read[1], read[2])));
    return Optional.of(new Window(models.iterator().next(), features));
  }

  /** One line of the text format: a metric's name, its labels and its value (a timestamp after it is ignored). */
  private record Series(String name, Map<String, String> labels, double value) {

    /** The series of a line; null for a comment, a blank line or one this reading cannot take. */
    static Series parse(String line) {
      if (line.isEmpty() || line.startsWith("#")) {
        return null;
      }
      int at = 0;
      while (at < line.length() && line.charAt(at) != '{' && !Character.isWhitespace(line.charAt(at))) {
        at++;
      }
      String name = line.substring(0, at);
      Map<String, String> labels = new LinkedHashMap<>();
      if (at < line.length() && line.charAt(at) == '{') {
        at = labels(line, at + 1, labels);
        if (at < 0) {
          return null;
        }
      }
      String[] rest = line.substring(at).strip().split("\\s+");
      if (rest.length == 0 || rest[0].isEmpty()) {
        return null;
      }
      try {
        return new Series(name, labels, number(rest[0]));
      } catch (NumberFormatException e) {
        return null;
      }
    }

    /** Reads {@code key="value",...}} from {@code at}; the index after the closing brace, or -1 where it is broken. */
    private static int labels(String line, int at, Map<String, String> labels) {
      while (at < line.length()) {
        char c = line.charAt(at);
        if (c == '}') {
          return at + 1;
        }
        if (c == ',' || Character.isWhitespace(c)) {
          at++;
          continue;
        }
        int equals = line.indexOf('=', at);
        if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
          return -1;
        }
        String key = line.substring(at, equals).strip();
        StringBuilder value = new StringBuilder();
        at = equals + 2;
        while (at < line.length() && line.charAt(at) != '"') {
          char v = line.charAt(at);
          if (v == '\\' && at + 1 < line.length()) {
            char escaped = line.charAt(++at);
            value.append(escaped == 'n' ? '\n' : escaped);
          } else {
            value.append(v);
          }
          at++;
        }
        if (at >= line.length()) {
          return -1;
        }
        labels.put(key, value.toString());
        at++;
      }
      return -1;
    }

    private static double number(String text) {
      return switch (text) {
        case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(text);
      };
    }
  }
}
