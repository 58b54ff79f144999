package dev.modelcontract.enforcement;

import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.Standardization;
import dev.modelcontract.tensors.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Requests that meet a contract, built from the contract alone: for dry runs and for probing a server. */
public final class SampleRequests {

  /** The batch size and dynamic-dim value used, clamped into each dim's bounds. */
  public static final long TYPICAL_SIZE = 2;

  private SampleRequests() {}

  /** Random values of the contract's shapes, in the training distribution where the contract states it. */
  public static Map<String, FloatTensor> typical(ModelContract contract, Random random) {
    Map<String, FloatTensor> request = new LinkedHashMap<>();
    for (InputSpec input : contract.inputs()) {
      long[] shape = input.shape().dims().stream().mapToLong(dim -> size(contract, dim)).toArray();
      float[] values = new float[Math.toIntExact(FloatTensor.sizeOf(shape))];
      Standardization stats = input.normalize().orElse(null);
      int features = (int) shape[shape.length - 1];
      for (int i = 0; i < values.length; i++) {
        double z = random.nextGaussian();
        values[i] = stats == null ? (float) z
            : (float) (stats.mean().get(i % features) + z * stats.std().get(i % features));
      }
      request.put(input.name(), new FloatTensor(shape, values));
    }
    return request;
  }

  private static long size(ModelContract contract, Dim dim) {
    if (dim instanceof Dim.Fixed fixed) {
      return fixed.size();
    }
    DimSpec spec = contract.dim(((Dim.Named) dim).name());
    return Math.max(spec.min(), Math.min(spec.max(), TYPICAL_SIZE));
  }
}
