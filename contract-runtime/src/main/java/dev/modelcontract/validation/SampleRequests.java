package dev.modelcontract.validation;

import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.Normalization;
import dev.modelcontract.contract.ValueRange;
import dev.modelcontract.enforcement.FeatureScaler;
import dev.modelcontract.tensors.BooleanTensor;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Requests that meet a contract, built from the contract alone: for dry runs and for probing a server. */
public final class SampleRequests {

  /** The batch size and dynamic-dim value used for {@link Sizes#TYPICAL}, clamped into each dim's bounds. */
  public static final long TYPICAL_SIZE = 2;

  private SampleRequests() {}

  /** Which value each dynamic dim takes. */
  public enum Sizes {
    /** Every bounded dim at its minimum, the others typical. */
    MIN,
    /** Every bounded dim at its maximum, the others typical. */
    MAX,
    /** Every dim at {@link #TYPICAL_SIZE}, within its bounds. */
    TYPICAL
  }

  /** A typical request: see {@link #of(ModelContract, Sizes, Random)}. */
  public static Map<String, Tensor> typical(ModelContract contract, Random random) {
    return of(contract, Sizes.TYPICAL, random);
  }

  /**
   * Every required input (optional ones are left to their defaults), batched: floats drawn from the training
   * statistics where the contract states them (normal around the mean, or uniform over the min-max range), so that
   * the skew guard takes them, integers 0 (a valid index into any table), booleans true; values
   * within the input's range where it has one, integers then drawn across it with its minimum first and its maximum
   * last, so the dry runs try both ends.
   */
  public static Map<String, Tensor> of(ModelContract contract, Sizes sizes, Random random) {
    Map<String, Tensor> request = new LinkedHashMap<>();
    for (InputSpec input : contract.inputs()) {
      if (input.optional()) {
        continue;
      }
      request.put(input.name(), valueOf(contract, input, sizes, random));
    }
    return request;
  }

  /** A value for one input, optional ones included, by the rules of {@link #of}. */
  public static Tensor valueOf(ModelContract contract, InputSpec input, Sizes sizes, Random random) {
    return valueOf(input, shapeOf(contract, input, sizes), random);
  }

  /** The shape an input takes with the given sizes. */
  public static long[] shapeOf(ModelContract contract, InputSpec input, Sizes sizes) {
    return input.shape().dims().stream().mapToLong(dim -> size(contract, dim, sizes)).toArray();
  }

  /**
   * A value for one input in a shape of one's choosing (one that may break the contract's dims), drawn by the rules
   * of {@link #of}: its values alone never break the contract.
   */
  public static Tensor valueOf(InputSpec input, long[] shape, Random random) {
    int size = Math.toIntExact(Tensor.sizeOf(shape));
    DType dtype = input.dtype();
    if (dtype.kind() == DType.Kind.INTEGER) {
      long[] values = new long[size];
      if (input.range().isPresent()) {
        long min = (long) Math.max(dtype.minLong(), input.range().get().min());
        long max = (long) Math.min(dtype.maxLong(), input.range().get().max());
        for (int i = 0; i < size; i++) {
          values[i] = i == 0 ? min : i == size - 1 ? max
              : Math.min(max, min + (long) (random.nextDouble() * (max - min + 1.0)));
        }
      }
      return new LongTensor(shape, values);
    }
    if (dtype == DType.BOOL) {
      boolean[] values = new boolean[size];
      Arrays.fill(values, true);
      return new BooleanTensor(shape, values);
    }
    // drawn as training saw them: standardized values normal, min-max scaled ones spread over the range
    boolean minMax = input.normalize().orElse(null) instanceof Normalization.MinMaxScaling;
    double[] z = new double[size];
    for (int i = 0; i < size; i++) {
      z[i] = minMax ? random.nextDouble() : random.nextGaussian();
    }
    Tensor tensor = new DoubleTensor(shape, z);
    if (input.normalize().isPresent()) {
      tensor = new FeatureScaler(input.normalize().get()).denormalized(tensor);
    }
    double[] doubles = ((DoubleTensor) tensor).values();
    double lowest = Math.max(dtype.min(), input.range().map(ValueRange::min).orElse(dtype.min()));
    double highest = Math.min(dtype.max(), input.range().map(ValueRange::max).orElse(dtype.max()));
    if (dtype == DType.FLOAT64) {
      for (int i = 0; i < size; i++) {
        doubles[i] = Math.max(lowest, Math.min(highest, doubles[i]));
      }
      return tensor;
    }
    float[] floats = new float[size];
    for (int i = 0; i < size; i++) {
      float value = (float) Math.max(lowest, Math.min(highest, doubles[i]));
      // rounding to float must not step outside the range
      floats[i] = value < lowest ? Math.nextUp(value) : value > highest ? Math.nextDown(value) : value;
    }
    return new FloatTensor(shape, floats);
  }

  /** The size of a dim (fixed, or named and sized as asked). */
  public static long size(ModelContract contract, Dim dim, Sizes sizes) {
    if (dim instanceof Dim.Fixed fixed) {
      return fixed.size();
    }
    DimSpec spec = contract.dim(((Dim.Named) dim).name());
    boolean bounded = spec.max() != Long.MAX_VALUE;
    if (sizes == Sizes.MIN) {
      return spec.min();
    }
    if (sizes == Sizes.MAX && bounded) {
      return spec.max();
    }
    return Math.max(spec.min(), Math.min(spec.max(), TYPICAL_SIZE));
  }
}
