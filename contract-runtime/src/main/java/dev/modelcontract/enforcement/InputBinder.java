package dev.modelcontract.enforcement;

import dev.modelcontract.contract.BatchSpec;
import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.TensorShape;
import dev.modelcontract.tensors.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks decoded request tensors against the contract's inputs: no unknown or missing input, the declared rank
 * (or one less, where unbatched requests are allowed), fixed sizes, and named dims that agree across inputs and
 * stay within their bounds.
 */
public final class InputBinder {

  private final ModelContract contract;

  public InputBinder(ModelContract contract) {
    this.contract = contract;
  }

  public BoundRequest bind(Map<String, FloatTensor> request) throws ContractViolation {
    for (String name : request.keySet()) {
      if (contract.input(name).isEmpty()) {
        throw new ContractViolation(name, pointer(name), "one of the contract's inputs " + contract.inputNames(),
            "an input the contract does not declare");
      }
    }
    Optional<BatchSpec> batch = contract.batch();
    Boolean unbatched = null;
    Map<String, Long> dims = new HashMap<>();
    Map<String, String> boundBy = new HashMap<>();
    List<FloatTensor> inputs = new ArrayList<>();
    for (InputSpec input : contract.inputs()) {
      FloatTensor tensor = request.get(input.name());
      if (tensor == null) {
        throw new ContractViolation(input.name(), pointer(input.name()),
            "an array of shape " + describe(input.shape(), batch), "no such field in the request");
      }
      boolean thisUnbatched = isUnbatched(input, tensor, batch);
      if (unbatched != null && unbatched != thisUnbatched) {
        throw new ContractViolation(input.name(), pointer(input.name()),
            (unbatched ? "no" : "a") + " batch axis, like the inputs before it",
            "rank " + tensor.rank() + " (" + (thisUnbatched ? "without" : "with") + " the batch axis)");
      }
      unbatched = thisUnbatched;
      FloatTensor batched = thisUnbatched ? tensor.withFirstAxis() : tensor;
      bindDims(input, batched, thisUnbatched, dims, boundBy);
      inputs.add(batched);
    }
    return new BoundRequest(inputs, dims, Boolean.TRUE.equals(unbatched));
  }

  private boolean isUnbatched(InputSpec input, FloatTensor tensor, Optional<BatchSpec> batch)
      throws ContractViolation {
    int rank = input.shape().rank();
    if (tensor.rank() == rank) {
      return false;
    }
    boolean allowed = batch.map(BatchSpec::unbatchedRequests).orElse(false);
    if (allowed && tensor.rank() == rank - 1) {
      return true;
    }
    String expected = allowed
        ? "rank " + rank + " " + input.shape() + " or rank " + (rank - 1) + " " + input.shape().withoutFirst()
        : "rank " + rank + " " + input.shape();
    throw new ContractViolation(input.name(), pointer(input.name()), expected,
        "rank " + tensor.rank() + " with shape " + Arrays.toString(tensor.shape()));
  }

  private void bindDims(InputSpec input, FloatTensor tensor, boolean unbatched, Map<String, Long> dims,
      Map<String, String> boundBy) throws ContractViolation {
    TensorShape shape = input.shape();
    for (int axis = unbatched ? 1 : 0; axis < shape.rank(); axis++) {
      long size = tensor.dim(axis);
      int requestAxis = unbatched ? axis - 1 : axis;
      Dim dim = shape.dim(axis);
      if (dim instanceof Dim.Fixed fixed && fixed.size() != size) {
        throw new ContractViolation(input.name(), pointer(input.name()),
            "size " + fixed.size() + " on axis " + requestAxis + " of " + describe(input, unbatched),
            "size " + size + " (shape " + Arrays.toString(requestShape(tensor, unbatched)) + ")");
      }
      if (dim instanceof Dim.Named named) {
        DimSpec spec = contract.dim(named.name());
        if (!spec.accepts(size)) {
          throw new ContractViolation(input.name(), pointer(input.name()),
              spec.describeBounds() + " on axis " + requestAxis + " of " + describe(input, unbatched),
              named.name() + " = " + size);
        }
        Long bound = dims.putIfAbsent(named.name(), size);
        if (bound != null && bound != size) {
          throw new ContractViolation(input.name(), pointer(input.name()),
              named.name() + " = " + bound + " on axis " + requestAxis + ", as in input '"
                  + boundBy.get(named.name()) + "'", named.name() + " = " + size);
        }
        boundBy.putIfAbsent(named.name(), input.name());
      }
    }
  }

  private static long[] requestShape(FloatTensor tensor, boolean unbatched) {
    return unbatched ? Arrays.copyOfRange(tensor.shape(), 1, tensor.rank()) : tensor.shape();
  }

  private static String describe(InputSpec input, boolean unbatched) {
    return "shape " + (unbatched ? input.shape().withoutFirst() : input.shape());
  }

  private static String describe(TensorShape shape, Optional<BatchSpec> batch) {
    return batch.filter(BatchSpec::unbatchedRequests).isPresent()
        ? shape + " or " + shape.withoutFirst()
        : shape.toString();
  }

  private static String pointer(String input) {
    return "/" + input.replace("~", "~0").replace("/", "~1");
  }
}
