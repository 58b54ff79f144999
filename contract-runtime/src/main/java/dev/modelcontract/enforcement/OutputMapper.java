package dev.modelcontract.enforcement;

import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.ForwardSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.OutputSpec;
import dev.modelcontract.inference.ModelOutput;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.StringTensor;
import dev.modelcontract.tensors.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns what {@code forward} returned into the contract's named outputs: picks each from the single tensor, the
 * tuple (by index) or the dict (by key, never by order), checks dtype and shape against the contract and the
 * request's dims, then de-normalizes, applies softmax or picks labels, and drops the batch axis for unbatched
 * requests. Several outputs may read the same tensor; each gets its own copy to transform.
 */
public final class OutputMapper {

  private final ModelContract contract;
  private final Scaling scaling;

  public OutputMapper(ModelContract contract) {
    this(contract, new Scaling(contract));
  }

  OutputMapper(ModelContract contract, Scaling scaling) {
    this.contract = contract;
    this.scaling = scaling;
  }

  public Map<String, Tensor> map(List<ModelOutput> returned, BoundRequest request) throws OutputMismatch {
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    Map<String, Long> dims = new HashMap<>(request.dims());
    for (OutputSpec spec : contract.outputs()) {
      ModelOutput output = select(spec, returned);
      if (!spec.dtype().contractName().equals(output.dtype())) {
        throw new OutputMismatch(spec.name(), spec.pointer() + "/dtype", "output '" + spec.name()
            + "' is declared " + spec.dtype() + ", but the model returned " + output.dtype());
      }
      Tensor tensor = output.tensor();
      checkShape(spec, tensor, dims);
      tensor = scaling.denormalizeOutput(spec.name(), tensor);
      if (spec.softmax()) {
        tensor = softmax(tensor);
      } else if (!spec.labels().isEmpty()) {
        tensor = labels(tensor, spec.labels());
      }
      outputs.put(spec.name(), request.unbatched() ? tensor.withoutFirstAxis() : tensor);
    }
    return outputs;
  }

  private ModelOutput select(OutputSpec spec, List<ModelOutput> returned) throws OutputMismatch {
    ForwardSpec.Returns returns = contract.forward().returns();
    if (returns == ForwardSpec.Returns.DICT) {
      for (ModelOutput output : returned) {
        if (spec.dictKey().equals(output.key())) {
          return output;
        }
      }
      throw new OutputMismatch(spec.name(), spec.pointer() + (spec.key().isPresent() ? "/key" : "/name"),
          "output '" + spec.name() + "' reads the key '" + spec.dictKey() + "', but the model returned a dict with "
              + returned.stream().map(ModelOutput::key).map(key -> "'" + key + "'").sorted()
                  .collect(Collectors.joining(", ", "the keys ", "")));
    }
    if (returns == ForwardSpec.Returns.TENSOR) {
      if (returned.size() != 1 || returned.get(0).key() != null) {
        throw new OutputMismatch(spec.name(), "/forward/returns", "forward is declared to return one tensor, but the"
            + " model returned " + describe(returned));
      }
      return returned.get(0);
    }
    int index = spec.index().orElseThrow();
    if (index >= returned.size()) {
      throw new OutputMismatch(spec.name(), spec.pointer() + "/index", "output '" + spec.name()
          + "' reads position " + index + " of the tuple forward returns, but the model returned "
          + describe(returned));
    }
    return returned.get(index);
  }

  private static String describe(List<ModelOutput> returned) {
    if (!returned.isEmpty() && returned.get(0).key() != null) {
      return "a dict with the keys " + returned.stream().map(output -> "'" + output.key() + "'").sorted()
          .collect(Collectors.joining(", "));
    }
    return returned.size() == 1 ? "1 tensor" : returned.size() + " tensors";
  }

  private void checkShape(OutputSpec spec, Tensor tensor, Map<String, Long> dims) throws OutputMismatch {
    if (tensor.rank() != spec.shape().rank()) {
      throw new OutputMismatch(spec.name(), spec.pointer() + "/shape", shapeMismatch(spec, tensor));
    }
    for (int axis = 0; axis < tensor.rank(); axis++) {
      long size = tensor.dim(axis);
      Dim dim = spec.shape().dim(axis);
      if (dim instanceof Dim.Fixed fixed && fixed.size() != size) {
        throw new OutputMismatch(spec.name(), spec.pointer() + "/shape/" + axis, shapeMismatch(spec, tensor)
            + " (axis " + axis + " should be " + fixed.size() + ")");
      }
      if (dim instanceof Dim.Named named) {
        Long bound = dims.putIfAbsent(named.name(), size);
        DimSpec bounds = contract.dim(named.name());
        if (bound != null && bound != size) {
          throw new OutputMismatch(spec.name(), spec.pointer() + "/shape/" + axis, shapeMismatch(spec, tensor)
              + " (axis " + axis + " should be " + named.name() + " = " + bound + ", as in the request)");
        }
        if (!bounds.accepts(size)) {
          throw new OutputMismatch(spec.name(), spec.pointer() + "/shape/" + axis, shapeMismatch(spec, tensor)
              + " (axis " + axis + " breaks " + bounds.describeBounds() + ")");
        }
      }
    }
  }

  /** What a returned shape breaks, written only once it breaks it (every answer passes this check). */
  private static String shapeMismatch(OutputSpec spec, Tensor tensor) {
    return "output '" + spec.name() + "' is declared " + spec.shape() + ", but the model returned shape "
        + Arrays.toString(tensor.shape());
  }

  /** Softmax over the last axis, computed in double and stored as the tensor's type. */
  static Tensor softmax(Tensor tensor) {
    int width = (int) tensor.dim(tensor.rank() - 1);
    double[] values = asDoubles(tensor);
    for (int row = 0; row < values.length; row += width) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = row; i < row + width; i++) {
        max = Math.max(max, values[i]);
      }
      double sum = 0;
      for (int i = row; i < row + width; i++) {
        values[i] = Math.exp(values[i] - max);
        sum += values[i];
      }
      for (int i = row; i < row + width; i++) {
        values[i] /= sum;
      }
    }
    if (tensor instanceof DoubleTensor) {
      return new DoubleTensor(tensor.shape(), values);
    }
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return new FloatTensor(tensor.shape(), floats);
  }

  /** The label of the largest value along the last axis (the first, on ties), one per row. */
  static Tensor labels(Tensor tensor, List<String> labels) {
    int width = labels.size();
    double[] values = asDoubles(tensor);
    String[] picked = new String[values.length / width];
    for (int row = 0; row < picked.length; row++) {
      int best = 0;
      for (int i = 1; i < width; i++) {
        if (values[row * width + i] > values[row * width + best]) {
          best = i;
        }
      }
      picked[row] = labels.get(best);
    }
    return new StringTensor(Arrays.copyOf(tensor.shape(), tensor.rank() - 1), picked);
  }

  private static double[] asDoubles(Tensor tensor) {
    if (tensor instanceof FloatTensor floats) {
      double[] values = new double[floats.values().length];
      for (int i = 0; i < values.length; i++) {
        values[i] = floats.values()[i];
      }
      return values;
    }
    if (tensor instanceof DoubleTensor doubles) {
      return doubles.values().clone();
    }
    long[] longs = ((LongTensor) tensor).values();
    double[] values = new double[longs.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = longs[i];
    }
    return values;
  }
}
