package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.Normalization;
import dev.modelcontract.contract.SkewSpec;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.SampleRequests;
import dev.modelcontract.validation.SkewedRequests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The measurement the skew guard's defaults were chosen by (docs/skew.md, "How the defaults were chosen"), kept as a
 * test so that it holds: for every example with training statistics, requests drawn from those statistics, at one
 * row and at eight, with short and long sequences, are never refused, nor are they with one extreme value among
 * them; the three mistakes are refused with their diagnosis. The table it prints (and writes to
 * target/skew-calibration.txt) shows the rates at other limits and odds.
 */
class SkewCalibrationTest {

  /** Draws per example, size and level; at the default levels ten times as many. */
  private static final int DRAWS = 1000;
  private static final List<ExampleModel> EXAMPLES =
      List.of(ExampleModel.HOUSE_PRICES, ExampleModel.LSTM_TWO_INPUTS, ExampleModel.TWO_ARGS_DICT);
  private static final double[][] LEVELS = {
      {SkewSpec.DEFAULT_LIMIT, SkewSpec.DEFAULT_ODDS}, {4, 1e4}, {6, 1e4}, {12, 1e4}, {8, 1e2}, {8, 1e3}, {8, 1e6}};

  @Test
  void defaultsRefuseEveryMistakeAndNoDrawnRequest() throws Exception {
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-16s %4s %4s %5s %6s | %6s %7s %7s %7s %11s %11s %11s"
        + " (mistakes: diagnosed right / refused)%n", "example", "rows", "T", "limit", "odds", "drawn", "extreme",
        "shifted", "region", "normalized",
        "swapped", "scaled"));
    Map<String, Rates> defaults = new LinkedHashMap<>();
    for (ExampleModel example : EXAMPLES) {
      long most = guarded(example, 8, 1e4).maxBatchRows();
      for (long[] size : new long[][] {{1, 2}, {1, 50}, {8, 2}, {8, 50}, {most, 2}}) {
        if (!sequences(example) && size[1] != 2) {
          continue;
        }
        for (double[] level : LEVELS) {
          Rates rates = measure(guarded(example, level[0], level[1]), size[0], size[1],
              level == LEVELS[0] ? 10 * DRAWS : DRAWS);
          table.append(String.format(Locale.ROOT, "%-16s %4d %4s %5s %6.0e | %6.3f %7.3f %7.3f %7.3f %s %s %s%n",
              example.folder(), size[0], sequences(example) ? Long.toString(size[1]) : "-",
              SkewGuard.number(level[0]), level[1], rates.drawn, rates.extreme, rates.shifted, rates.region, rates.normalized, rates.swapped,
              rates.scaled));
          if (level == LEVELS[0]) {
            defaults.put(example.folder() + " rows " + size[0] + (sequences(example) ? " T " + size[1] : ""), rates);
          }
        }
      }
    }
    System.out.print(table);
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve("skew-calibration.txt"), table);
    }
    defaults.forEach((size, rates) -> {
      assertThat(rates.drawn).as("%s: drawn from training, refused", size).isZero();
      assertThat(rates.extreme).as("%s: with one extreme value, refused", size).isZero();
      assertThat(rates.shifted).as("%s: from a population one std away, refused", size).isZero();
      assertThat(rates.region).as("%s: from one region, refused", size).isZero();
      assertThat(rates.scaled.right).as("%s: scaled, diagnosed", size).isEqualTo(1.0);
      if (size.startsWith("two-args-dict")) {
        // its prices (low, high, close) have like statistics, and volume is alone: no swap would show
        assertThat(rates.swapped.refused).as("%s: swapped", size).isZero();
      } else if (size.equals("house-prices rows 8")) {
        // eight houses normalized lie about 2 std from training in every feature, their spreads 1/40 of the area's
        // and 1/20 of the age's: a handful in a thousand pass as a population of small, new, central flats
        assertThat(rates.swapped.right).as("%s: swapped, diagnosed", size).isEqualTo(1.0);
        assertThat(rates.normalized.right).as("%s: normalized, diagnosed", size).isGreaterThan(0.99);
      } else if (!size.equals("house-prices rows 1")) {
        assertThat(rates.swapped.right).as("%s: swapped, diagnosed", size).isEqualTo(1.0);
        assertThat(rates.normalized.right).as("%s: normalized, diagnosed", size).isEqualTo(1.0);
      } else {
        // One house of six features is judged by the limit alone: a swap (area_m2 and has_lift, whose statistics
        // differ most) is refused, the area where the lift goes lying ~190 std out, most diagnosed as a swap and
        // some as one feature in another unit; a house normalized lies about 2 std from training in every feature,
        // as an unusual house can, and passes but for the few beyond the limit (the metrics show a stream of them:
        // docs/skew.md).
        assertThat(rates.swapped.refused).as("%s: swapped, refused", size).isGreaterThan(0.99);
        assertThat(rates.swapped.right).as("%s: swapped, diagnosed", size).isGreaterThan(0.9);
        assertThat(rates.normalized.refused).as("%s: normalized, refused", size).isLessThan(0.001);
      }
    });
  }

  private static boolean sequences(ExampleModel example) {
    return example != ExampleModel.HOUSE_PRICES;
  }

  /** Shares refused of: drawn requests, drawn ones with one extreme value, and each mistake (with its diagnosis). */
  private record Rates(double drawn, double extreme, double shifted, double region, Caught normalized,
      Caught swapped, Caught scaled) {}

  /** The share of a mistake refused with its own diagnosis, and refused at all. */
  private record Caught(double right, double refused) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%5.3f/%5.3f", right, refused);
    }
  }

  private static Rates measure(ContractModel model, long rows, long steps, int draws) {
    Random random = new Random(20261205);
    int drawn = 0;
    int extreme = 0;
    int shifted = 0;
    int region = 0;
    int[] kinds = new int[SkewedRequests.Kind.values().length];
    int[] refusals = new int[kinds.length];
    for (int draw = 0; draw < draws; draw++) {
      Map<String, Tensor> request = draw(model.contract(), rows, steps, random);
      for (SkewedRequests.Kind kind : SkewedRequests.Kind.values()) {
        Optional<SkewedRequests.Skewed> made = SkewedRequests.of(model.contract(), kind, request);
        if (made.isEmpty()) {
          kinds[kind.ordinal()] = -draws; // nothing to make it on: shown as -1
          continue;
        }
        SkewedRequests.Skewed skewed = made.get();
        SkewViolation refused = refusal(model, skewed.request());
        refusals[kind.ordinal()] += refused != null ? 1 : 0;
        if (refused != null && refused.diagnosis().slug().equals(kind.diagnosis())
            && refused.input().equals(skewed.input())) {
          kinds[kind.ordinal()]++;
        }
      }
      if (rows * steps > 2) {
        Map<String, Tensor> oneOff = copy(request);
        Tensor first = oneOff.values().iterator().next();
        ((float[]) first.array())[1] *= 1e6f;
        extreme += refusal(model, oneOff) != null ? 1 : 0;
      }
      SkewViolation odd = refusal(model, request);
      if (odd != null && System.getProperty("skew.debug") != null) {
        System.out.println("DRAWN REFUSED: " + odd.getMessage());
      }
      drawn += odd != null ? 1 : 0;
      SkewViolation moved = refusal(model, shifted(model.contract(), request));
      if (moved != null && System.getProperty("skew.debug") != null) {
        System.out.println("SHIFTED REFUSED: " + moved.getMessage());
      }
      shifted += moved != null ? 1 : 0;
      SkewViolation local = refusal(model, region(model.contract(), request, draw));
      if (local != null && System.getProperty("skew.debug") != null) {
        System.out.println("REGION REFUSED: " + local.getMessage());
      }
      region += local != null ? 1 : 0;
    }
    return new Rates((double) drawn / draws, (double) extreme / draws, (double) shifted / draws,
        (double) region / draws, caught(kinds, refusals, 0, draws),
        caught(kinds, refusals, 1, draws), caught(kinds, refusals, 2, draws));
  }

  private static Caught caught(int[] right, int[] refused, int kind, int draws) {
    return new Caught((double) right[kind] / draws, (double) refused[kind] / draws);
  }

  private static SkewViolation refusal(ContractModel model, Map<String, Tensor> request) {
    try {
      model.bind(copy(request));
      return null;
    } catch (SkewViolation e) {
      return e;
    } catch (ContractViolation e) {
      throw new AssertionError("a drawn request breaks the contract: " + e.getMessage(), e);
    }
  }

  private static Map<String, Tensor> draw(ModelContract contract, long rows, long steps, Random random) {
    Map<String, Tensor> request = new LinkedHashMap<>();
    for (InputSpec input : contract.inputs()) {
      if (input.optional()) {
        continue;
      }
      long[] shape = new long[input.shape().rank()];
      for (int axis = 0; axis < shape.length; axis++) {
        Dim dim = input.shape().dim(axis);
        shape[axis] = dim instanceof Dim.Fixed fixed ? fixed.size() : axis == 0 ? rows : steps;
      }
      request.put(input.name(), SampleRequests.valueOf(input, shape, random));
    }
    return request;
  }

  /** The request as a population one training std away in every feature would send it. */
  private static Map<String, Tensor> shifted(ModelContract contract, Map<String, Tensor> request) {
    Map<String, Tensor> shifted = copy(request);
    for (InputSpec input : contract.inputs()) {
      Tensor tensor = shifted.get(input.name());
      if (input.normalize().isEmpty() || tensor == null) {
        continue;
      }
      float[] values = (float[]) tensor.array();
      Normalization normalization = input.normalize().get();
      for (int i = 0; i < values.length; i++) {
        values[i] += (float) normalization.spread(i % normalization.features());
      }
    }
    return shifted;
  }

  /**
   * The request as one region, store or day would send it: one feature (in turn) 3 training stds above the mean and
   * half as spread, every other as drawn; a 0/1-looking feature (mean and std 0.5) sent as 0s and 1s.
   */
  private static Map<String, Tensor> region(ModelContract contract, Map<String, Tensor> request, int draw) {
    Map<String, Tensor> local = copy(request);
    for (InputSpec input : contract.inputs()) {
      Tensor tensor = local.get(input.name());
      if (input.normalize().isEmpty() || tensor == null) {
        continue;
      }
      float[] values = (float[]) tensor.array();
      Normalization normalization = input.normalize().get();
      int moved = draw % normalization.features();
      for (int i = 0; i < values.length; i++) {
        int feature = i % normalization.features();
        double center = normalization.center(feature);
        double spread = normalization.spread(feature);
        if (center == 0.5 && spread == 0.5) {
          values[i] = values[i] > 0.5f ? 1 : 0;
        } else if (feature == moved) {
          values[i] = (float) (center + 3 * spread + 0.5 * (values[i] - center));
        }
      }
    }
    return local;
  }

  private static Map<String, Tensor> copy(Map<String, Tensor> request) {
    Map<String, Tensor> copy = new LinkedHashMap<>();
    request.forEach((name, tensor) -> copy.put(name, Tensor.of(tensor.shape(), tensor.array() instanceof float[] v
        ? v.clone() : tensor.array() instanceof double[] v ? v.clone() : ((long[]) tensor.array()).clone())));
    return copy;
  }

  /** The example's contract with the guard on at these levels, served without its model. */
  private static ContractModel guarded(ExampleModel example, double limit, double odds)
      throws IOException, ContractException {
    String yaml = Files.readString(example.modelDir().resolve("model-contract.yaml"))
        .replaceAll("(?m)^skew:.*\\n(  .*\\n)*", "")
        .replaceAll("(?m)^\\s+skew:.*$", "");
    yaml += String.format(Locale.ROOT, "%nskew: {refuse: true, limit: %s, odds: %s}%n", limit, odds);
    ModelContract contract = TestContracts.read(yaml);
    return ContractModel.withoutModel(contract, bound -> Map.of());
  }
}
