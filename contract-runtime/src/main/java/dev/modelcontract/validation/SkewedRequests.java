package dev.modelcontract.validation;

import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.Normalization;
import dev.modelcontract.contract.SkewSpec;
import dev.modelcontract.enforcement.FeatureScaler;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The mistakes shapes cannot catch, made on purpose from a request that meets the contract: the inputs already
 * normalized by the caller, two features swapped, one input sent in a unit 1000 times smaller. The conformance suite
 * sends them and expects the skew guard's refusal, or the skew on /metrics where the guard is off.
 */
public final class SkewedRequests {

  /** The factor {@link Kind#SCALED} multiplies an input by: milliseconds for seconds, grams for kilograms. */
  public static final double SCALE = 1000;

  private SkewedRequests() {}

  /** A kind of mistake. */
  public enum Kind {
    /** Every input with training statistics sent already normalized with them. */
    ALREADY_NORMALIZED("already-normalized"),
    /** Of one input, the two features whose training statistics differ most, exchanged. */
    FEATURES_SWAPPED("features-swapped"),
    /** One input's values sent {@value #SCALE} times larger. */
    SCALED("scaled");

    private final String diagnosis;

    Kind(String diagnosis) {
      this.diagnosis = diagnosis;
    }

    /** The diagnosis the skew guard's refusal gives it ({@code diagnosis} member of the problem). */
    public String diagnosis() {
      return diagnosis;
    }
  }

  /**
   * A request with the mistake made.
   *
   * @param kind the mistake
   * @param input the first input it was made on, which a refusal names
   * @param request the request, with every other input as it was
   * @param description what was done, e.g. "input_1's features open and volume swapped"
   */
  public record Skewed(Kind kind, String input, Map<String, Tensor> request, String description) {}

  /**
   * The mistake made on a copy of a request that meets the contract; empty where the contract gives it nothing to
   * be made on (no input with training statistics; for a swap, no input with two features whose training statistics
   * lie more than twice the skew limit apart, where exchanging them would show).
   */
  public static Optional<Skewed> of(ModelContract contract, Kind kind, Map<String, Tensor> request) {
    Map<String, Tensor> skewed = new LinkedHashMap<>();
    request.forEach((name, tensor) -> skewed.put(name, copy(tensor)));
    String first = null;
    String description = null;
    InputSpec swapInput = null;
    int[] swapPair = null;
    double swapSeen = 0;
    for (InputSpec input : contract.inputs()) {
      Tensor tensor = skewed.get(input.name());
      if (input.normalize().isEmpty() || tensor == null) {
        continue;
      }
      Normalization normalization = input.normalize().get();
      switch (kind) {
        case ALREADY_NORMALIZED -> {
          new FeatureScaler(normalization).normalize(tensor);
          first = first == null ? input.name() : first;
          description = "every input with training statistics sent already normalized";
        }
        case SCALED -> {
          if (first == null) {
            scale(tensor, SCALE);
            first = input.name();
            description = input.name() + " sent " + (long) SCALE + "× larger";
          }
        }
        case FEATURES_SWAPPED -> {
          // swapped on the input where it shows most; features of like statistics swapped show nothing
          int[] pair = mostDifferent(normalization);
          double seen = pair == null ? 0 : seen(normalization, pair);
          if (seen > swapSeen) {
            swapSeen = seen;
            swapInput = input;
            swapPair = pair;
          }
        }
      }
    }
    if (kind == Kind.FEATURES_SWAPPED && swapInput != null
        && separation(swapInput.normalize().get(), swapPair) > 2 * swapInput.skew().map(SkewSpec::limit)
            .orElse(SkewSpec.DEFAULT_LIMIT)) {
      swap(skewed.get(swapInput.name()), swapInput.normalize().get().resolvedAxis(swapInput.shape().rank()),
          swapPair[0], swapPair[1]);
      first = swapInput.name();
      description = "input '" + swapInput.name() + "': " + swapInput.feature(swapPair[0]) + " and "
          + swapInput.feature(swapPair[1]) + " swapped";
    }
    return first == null ? Optional.empty() : Optional.of(new Skewed(kind, first, skewed, description));
  }

  private static double seen(Normalization normalization, int[] pair) {
    double gap = normalization.center(pair[0]) - normalization.center(pair[1]);
    return gap * gap * (1 / squared(normalization.spread(pair[0])) + 1 / squared(normalization.spread(pair[1])));
  }

  /** How far a swap moves the features it exchanges, in the larger of their spreads' units. */
  private static double separation(Normalization normalization, int[] pair) {
    double gap = Math.abs(normalization.center(pair[0]) - normalization.center(pair[1]));
    return Math.max(gap / normalization.spread(pair[0]), gap / normalization.spread(pair[1]));
  }

  /** The two features a swap shows most: their training means furthest apart in their own spreads. */
  private static int[] mostDifferent(Normalization normalization) {
    int[] best = null;
    double most = 0;
    for (int i = 0; i < normalization.features(); i++) {
      for (int j = i + 1; j < normalization.features(); j++) {
        double seen = seen(normalization, new int[] {i, j});
        if (seen > most) {
          most = seen;
          best = new int[] {i, j};
        }
      }
    }
    return best;
  }

  private static double squared(double value) {
    return value * value;
  }

  private static void scale(Tensor tensor, double factor) {
    if (tensor instanceof FloatTensor floats) {
      float[] values = floats.values();
      for (int i = 0; i < values.length; i++) {
        values[i] *= (float) factor;
      }
    } else if (tensor instanceof DoubleTensor doubles) {
      double[] values = doubles.values();
      for (int i = 0; i < values.length; i++) {
        values[i] *= factor;
      }
    }
  }

  private static void swap(Tensor tensor, int axis, int first, int second) {
    long[] shape = tensor.shape();
    int features = (int) shape[axis];
    int inner = (int) Tensor.sizeOf(java.util.Arrays.copyOfRange(shape, axis + 1, shape.length));
    int outer = tensor.size() / (features * inner);
    Object array = tensor.array();
    for (int o = 0; o < outer; o++) {
      for (int k = 0; k < inner; k++) {
        int a = (o * features + first) * inner + k;
        int b = (o * features + second) * inner + k;
        if (array instanceof float[] values) {
          float held = values[a];
          values[a] = values[b];
          values[b] = held;
        } else if (array instanceof double[] values) {
          double held = values[a];
          values[a] = values[b];
          values[b] = held;
        }
      }
    }
  }

  private static Tensor copy(Tensor tensor) {
    Object array = tensor.array();
    Object copy = array instanceof float[] v ? v.clone() : array instanceof double[] v ? v.clone()
        : array instanceof long[] v ? v.clone() : array instanceof boolean[] v ? v.clone() : ((String[]) array).clone();
    return Tensor.of(tensor.shape().clone(), copy);
  }
}
