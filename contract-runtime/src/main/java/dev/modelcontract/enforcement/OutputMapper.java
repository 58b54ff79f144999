package dev.modelcontract.enforcement;

import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.OutputSpec;
import dev.modelcontract.tensors.FloatTensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what {@code forward} returned into the contract's named outputs: picks each by its tuple position,
 * checks dtype and shape against the contract and the request's dims, de-normalizes, and drops the batch axis
 * for unbatched requests.
 */
public final class OutputMapper {

  private final ModelContract contract;
  private final Map<String, StandardScaler> scalers = new HashMap<>();

  public OutputMapper(ModelContract contract) {
    this.contract = contract;
    contract.outputs().forEach(output -> output.denormalize()
        .ifPresent(stats -> scalers.put(output.name(), new StandardScaler(stats))));
  }

  public Map<String, FloatTensor> map(List<ModelOutput> returned, BoundRequest request) throws OutputMismatch {
    Map<String, FloatTensor> outputs = new LinkedHashMap<>();
    Map<String, Long> dims = new HashMap<>(request.dims());
    for (OutputSpec spec : contract.outputs()) {
      if (spec.index() >= returned.size()) {
        throw new OutputMismatch(spec.name(), spec.pointer() + "/index", "output '" + spec.name()
            + "' reads position " + spec.index() + " of the tuple forward returns, but the model returned "
            + returned.size() + (returned.size() == 1 ? " tensor" : " tensors"));
      }
      ModelOutput output = returned.get(spec.index());
      if (!spec.dtype().contractName().equals(output.dtype())) {
        throw new OutputMismatch(spec.name(), spec.pointer() + "/dtype", "output '" + spec.name()
            + "' is declared " + spec.dtype() + ", but the model returned " + output.dtype());
      }
      FloatTensor tensor = output.tensor();
      checkShape(spec, tensor, dims);
      StandardScaler scaler = scalers.get(spec.name());
      if (scaler != null) {
        scaler.destandardize(tensor.values());
      }
      outputs.put(spec.name(), request.unbatched() ? tensor.withoutFirstAxis() : tensor);
    }
    return outputs;
  }

  private void checkShape(OutputSpec spec, FloatTensor tensor, Map<String, Long> dims) throws OutputMismatch {
    String mismatch = "output '" + spec.name() + "' is declared " + spec.shape() + ", but the model returned shape "
        + Arrays.toString(tensor.shape());
    if (tensor.rank() != spec.shape().rank()) {
      throw new OutputMismatch(spec.name(), spec.pointer() + "/shape", mismatch);
    }
    for (int axis = 0; axis < tensor.rank(); axis++) {
      long size = tensor.dim(axis);
      Dim dim = spec.shape().dim(axis);
      String at = spec.pointer() + "/shape/" + axis;
      if (dim instanceof Dim.Fixed fixed && fixed.size() != size) {
        throw new OutputMismatch(spec.name(), at, mismatch + " (axis " + axis + " should be " + fixed.size() + ")");
      }
      if (dim instanceof Dim.Named named) {
        Long bound = dims.putIfAbsent(named.name(), size);
        DimSpec bounds = contract.dim(named.name());
        if (bound != null && bound != size) {
          throw new OutputMismatch(spec.name(), at, mismatch + " (axis " + axis + " should be " + named.name()
              + " = " + bound + ", as in the request)");
        }
        if (!bounds.accepts(size)) {
          throw new OutputMismatch(spec.name(), at, mismatch + " (axis " + axis + " breaks "
              + bounds.describeBounds() + ")");
        }
      }
    }
  }
}
