package dev.modelcontract.golden;

import dev.modelcontract.tensors.BooleanTensor;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.StringTensor;
import dev.modelcontract.tensors.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares named tensors value by value: numbers of any type within {@code tolerance * (1 + |expected|)},
 * labels and booleans exactly.
 */
public final class TensorComparison {

  private TensorComparison() {}

  /** Every difference found, as readable lines; empty when the tensors agree. */
  public static List<String> differences(Map<String, ? extends Tensor> expected, Map<String, ? extends Tensor> actual,
      double tolerance) {
    List<String> differences = new ArrayList<>();
    for (String name : actual.keySet()) {
      if (!expected.containsKey(name)) {
        differences.add("unexpected output '" + name + "'");
      }
    }
    for (Map.Entry<String, ? extends Tensor> entry : expected.entrySet()) {
      String name = entry.getKey();
      Tensor want = entry.getValue();
      Tensor got = actual.get(name);
      if (got == null) {
        differences.add("output '" + name + "' is missing");
      } else if (!Arrays.equals(want.shape(), got.shape())) {
        differences.add("output '" + name + "' has shape " + Arrays.toString(got.shape()) + ", expected "
            + Arrays.toString(want.shape()));
      } else if (isNumeric(want) && isNumeric(got)) {
        compareNumbers(name, numbers(want), numbers(got), tolerance, differences);
      } else if (want.getClass() != got.getClass()) {
        differences.add("output '" + name + "' holds " + kind(got) + ", expected " + kind(want));
      } else {
        compareExactly(name, want, got, differences);
      }
    }
    return differences;
  }

  private static void compareNumbers(String name, double[] want, double[] got, double tolerance,
      List<String> differences) {
    int wrong = 0;
    int first = -1;
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      double diff = Math.abs(got[i] - want[i]);
      if (!(diff <= tolerance * (1 + Math.abs(want[i])))) {
        wrong++;
        if (first < 0) {
          first = i;
        }
        worst = Math.max(worst, diff);
      }
    }
    if (wrong > 0) {
      differences.add(String.format(Locale.ROOT, "output '%s': %d of %d values differ beyond tolerance %.1e; first"
          + " at flat index %d: expected %s, got %s; largest difference %.3g", name, wrong, want.length, tolerance,
          first, want[first], got[first], worst));
    }
  }

  private static void compareExactly(String name, Tensor want, Tensor got, List<String> differences) {
    Object[] expected = boxed(want);
    Object[] actual = boxed(got);
    int wrong = 0;
    int first = -1;
    for (int i = 0; i < expected.length; i++) {
      if (!expected[i].equals(actual[i])) {
        wrong++;
        first = first < 0 ? i : first;
      }
    }
    if (wrong > 0) {
      differences.add(String.format(Locale.ROOT, "output '%s': %d of %d values differ; first at flat index %d:"
          + " expected %s, got %s", name, wrong, expected.length, first, expected[first], actual[first]));
    }
  }

  private static boolean isNumeric(Tensor tensor) {
    return tensor instanceof FloatTensor || tensor instanceof DoubleTensor || tensor instanceof LongTensor;
  }

  private static String kind(Tensor tensor) {
    return tensor instanceof StringTensor ? "labels" : tensor instanceof BooleanTensor ? "booleans" : "numbers";
  }

  private static double[] numbers(Tensor tensor) {
    if (tensor instanceof DoubleTensor doubles) {
      return doubles.values();
    }
    if (tensor instanceof FloatTensor floats) {
      double[] values = new double[floats.values().length];
      for (int i = 0; i < values.length; i++) {
        values[i] = floats.values()[i];
      }
      return values;
    }
    return Arrays.stream(((LongTensor) tensor).values()).asDoubleStream().toArray();
  }

  private static Object[] boxed(Tensor tensor) {
    if (tensor instanceof StringTensor strings) {
      return strings.values();
    }
    boolean[] values = ((BooleanTensor) tensor).values();
    Object[] boxed = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }
}
