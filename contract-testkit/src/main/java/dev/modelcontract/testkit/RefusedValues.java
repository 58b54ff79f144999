package dev.modelcontract.testkit;

import dev.modelcontract.contract.DType;
import dev.modelcontract.tensors.BooleanTensor;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.StringTensor;
import dev.modelcontract.tensors.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Values of a tensor's shape that a dtype refuses, one kind each: for floats, strings, booleans and numbers beyond
 * the dtype's range; for integers, fractions, strings, booleans and numbers past either end of the range; for
 * bool, numbers and strings.
 *
 * @param description what the values are, e.g. {@code fractions}
 * @param tensor the values, every element the same
 */
record RefusedValues(String description, Tensor tensor) {

  static List<RefusedValues> of(DType dtype, long[] shape) {
    int size = Math.toIntExact(Tensor.sizeOf(shape));
    List<RefusedValues> refused = new ArrayList<>();
    switch (dtype.kind()) {
      case FLOAT -> {
        refused.add(new RefusedValues("strings", strings(shape, size, "high")));
        refused.add(new RefusedValues("booleans", booleans(shape, size)));
        if (dtype != DType.FLOAT64) {
          refused.add(new RefusedValues("a number beyond " + dtype + "'s range",
              doubles(shape, size, dtype.max() * 2)));
        }
      }
      case INTEGER -> {
        refused.add(new RefusedValues("fractions", doubles(shape, size, 0.5)));
        refused.add(new RefusedValues("strings", strings(shape, size, "7")));
        refused.add(new RefusedValues("booleans", booleans(shape, size)));
        if (dtype == DType.INT64) {
          refused.add(new RefusedValues("a number above int64's range", doubles(shape, size, 0x1p64)));
        } else {
          refused.add(new RefusedValues("a number above " + dtype + "'s range",
              longs(shape, size, dtype.maxLong() + 1)));
          refused.add(new RefusedValues("a number below " + dtype + "'s range",
              longs(shape, size, dtype.minLong() - 1)));
        }
      }
      case BOOL -> {
        refused.add(new RefusedValues("numbers", longs(shape, size, 1)));
        refused.add(new RefusedValues("strings", strings(shape, size, "true")));
      }
    }
    return refused;
  }

  private static Tensor strings(long[] shape, int size, String value) {
    String[] values = new String[size];
    Arrays.fill(values, value);
    return new StringTensor(shape, values);
  }

  private static Tensor booleans(long[] shape, int size) {
    boolean[] values = new boolean[size];
    Arrays.fill(values, true);
    return new BooleanTensor(shape, values);
  }

  private static Tensor doubles(long[] shape, int size, double value) {
    double[] values = new double[size];
    Arrays.fill(values, value);
    return new DoubleTensor(shape, values);
  }

  private static Tensor longs(long[] shape, int size, long value) {
    long[] values = new long[size];
    Arrays.fill(values, value);
    return new LongTensor(shape, values);
  }
}
