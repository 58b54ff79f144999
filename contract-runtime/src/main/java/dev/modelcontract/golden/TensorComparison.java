package dev.modelcontract.golden;

import dev.modelcontract.tensors.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Compares named tensors value by value: |actual - expected| <= tolerance * (1 + |expected|). */
public final class TensorComparison {

  private TensorComparison() {}

  /** Every difference found, as readable lines; empty when the tensors agree. */
  public static List<String> differences(Map<String, FloatTensor> expected, Map<String, FloatTensor> actual,
      double tolerance) {
    List<String> differences = new ArrayList<>();
    for (String name : actual.keySet()) {
      if (!expected.containsKey(name)) {
        differences.add("unexpected output '" + name + "'");
      }
    }
    for (Map.Entry<String, FloatTensor> entry : expected.entrySet()) {
      String name = entry.getKey();
      FloatTensor want = entry.getValue();
      FloatTensor got = actual.get(name);
      if (got == null) {
        differences.add("output '" + name + "' is missing");
      } else if (!Arrays.equals(want.shape(), got.shape())) {
        differences.add("output '" + name + "' has shape " + Arrays.toString(got.shape()) + ", expected "
            + Arrays.toString(want.shape()));
      } else {
        compareValues(name, want.values(), got.values(), tolerance, differences);
      }
    }
    return differences;
  }

  private static void compareValues(String name, float[] want, float[] got, double tolerance,
      List<String> differences) {
    int wrong = 0;
    int first = -1;
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      double diff = Math.abs((double) got[i] - want[i]);
      if (!(diff <= tolerance * (1 + Math.abs(want[i])))) {
        wrong++;
        if (first < 0) {
          first = i;
        }
        worst = Math.max(worst, diff);
      }
    }
    if (wrong > 0) {
      differences.add(String.format(Locale.ROOT, "output '%s': %d of %d values differ beyond tolerance %.1e;"
          + " first at flat index %d: expected %s, got %s; largest difference %.3g", name, wrong, want.length,
          tolerance, first, want[first], got[first], worst));
    }
  }
}
