package dev.modelcontract.enforcement;

import dev.modelcontract.contract.BatchSpec;
import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractProblem;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.JsonPointer;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.TensorShape;
import dev.modelcontract.contract.ValueRange;
import dev.modelcontract.tensors.ElementType;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks decoded request tensors against the contract's inputs: no unknown input, every required input present,
 * the declared dtype, the declared rank (or one less, where unbatched requests are allowed), fixed sizes, and
 * named dims that agree across inputs and stay within their bounds. Omitted optional inputs get their defaults.
 */
public final class InputBinder {

  private final ModelContract contract;
  private final Map<String, Tensor> defaults = new HashMap<>();

  /**
   * @throws ContractException when a default value does not decode as its input's dtype or shape
   */
  public InputBinder(ModelContract contract) throws ContractException {
    this.contract = contract;
    List<ContractProblem> problems = new ArrayList<>();
    for (InputSpec input : contract.inputs()) {
      if (input.defaultValue().isPresent()) {
        decodeDefault(input, problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new ContractException(contract.source().file(), problems);
    }
  }

  private void decodeDefault(InputSpec input, List<ContractProblem> problems) {
    String pointer = input.pointer() + "/default";
    String json = "{\"" + input.name() + "\": " + input.defaultValue().get() + "}";
    try {
      Tensor value = new JsonTensorReader(Map.of(input.name(), ElementType.of(input)))
          .read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))).get(input.name());
      TensorShape unbatched = contract.batch().isPresent() ? input.shape().withoutFirst() : input.shape();
      if (value.rank() > 0 && !matchesFixed(value.shape(), unbatched)) {
        problems.add(new ContractProblem(contract.locate(pointer), pointer, "the default of input '" + input.name()
            + "' has shape " + Arrays.toString(value.shape()) + ", but the input's shape without the batch axis is "
            + unbatched, "give a single value, or an array of exactly that shape (fixed sizes only)"));
      }
      int outside = firstOutsideRange(input, value);
      if (outside >= 0) {
        problems.add(new ContractProblem(contract.locate(pointer), pointer, "the default of input '" + input.name()
            + "' holds " + Array.get(value.array(), outside) + ", outside its range ("
            + input.range().orElseThrow().describe() + ")", "give a default within the range"));
      }
      defaults.put(input.name(), value);
    } catch (TensorFormatException | ContractViolation | IOException e) {
      problems.add(new ContractProblem(contract.locate(pointer), pointer, "the default of input '" + input.name()
          + "' is not a valid " + input.dtype() + " value: " + e.getMessage(), "give a value of the input's dtype"));
    }
  }

  private static boolean matchesFixed(long[] shape, TensorShape declared) {
    if (shape.length != declared.rank()) {
      return false;
    }
    for (int axis = 0; axis < shape.length; axis++) {
      if (!(declared.dim(axis) instanceof Dim.Fixed fixed) || fixed.size() != shape[axis]) {
        return false;
      }
    }
    return true;
  }

  public BoundRequest bind(Map<String, Tensor> request) throws ContractViolation {
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
    Tensor[] inputs = new Tensor[contract.inputs().size()];
    for (int i = 0; i < inputs.length; i++) {
      InputSpec input = contract.inputs().get(i);
      Tensor tensor = request.get(input.name());
      if (tensor == null) {
        if (input.optional()) {
          continue;
        }
        throw new ContractViolation(input.name(), pointer(input.name()),
            "an array of shape " + describe(input.shape(), batch), "no such field in the request");
      }
      checkStorage(input, tensor);
      checkRange(input, tensor);
      boolean thisUnbatched = isUnbatched(input, tensor, batch);
      if (unbatched != null && unbatched != thisUnbatched) {
        throw new ContractViolation(input.name(), pointer(input.name()),
            (unbatched ? "no" : "a") + " batch axis, like the inputs before it",
            "rank " + tensor.rank() + " (" + (thisUnbatched ? "without" : "with") + " the batch axis)");
      }
      unbatched = thisUnbatched;
      Tensor batched = thisUnbatched ? tensor.withFirstAxis() : tensor;
      bindDims(input, batched, thisUnbatched, dims, boundBy);
      inputs[i] = batched;
    }
    boolean isUnbatched = unbatched == null ? batch.map(BatchSpec::unbatchedRequests).orElse(false) : unbatched;
    batch.ifPresent(spec -> dims.putIfAbsent(spec.dim(), 1L));
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] == null) {
        InputSpec input = contract.inputs().get(i);
        inputs[i] = filled(defaults.get(input.name()), input.shape(), dims);
      }
    }
    return new BoundRequest(Arrays.asList(inputs), dims, isUnbatched);
  }

  /** The default spread over the request's shape: a scalar everywhere, an array repeated over the batch. */
  private Tensor filled(Tensor value, TensorShape declared, Map<String, Long> dims) {
    long[] shape = declared.dims().stream()
        .mapToLong(dim -> dim instanceof Dim.Fixed fixed ? fixed.size() : dims.get(((Dim.Named) dim).name()))
        .toArray();
    int size = Math.toIntExact(Tensor.sizeOf(shape));
    Object source = value.array();
    int period = Array.getLength(source);
    Object out = Array.newInstance(source.getClass().getComponentType(), size);
    for (int position = 0; position < size; position += period) {
      System.arraycopy(source, 0, out, position, period);
    }
    return Tensor.of(shape, out);
  }

  /** The reader decodes each input into its dtype's storage; a tensor built any other way must match too. */
  private static void checkStorage(InputSpec input, Tensor tensor) throws ContractViolation {
    DType dtype = input.dtype();
    if (tensor.array().getClass().getComponentType() != dtype.storage()) {
      throw new ContractViolation(input.name(), pointer(input.name()), dtype + " values",
          tensor.getClass().getSimpleName().replace("Tensor", "").toLowerCase(Locale.ROOT) + " values");
    }
  }

  /** Every value within the input's range, where the contract gives one: the first outside is named by pointer. */
  private static void checkRange(InputSpec input, Tensor tensor) throws ContractViolation {
    int outside = firstOutsideRange(input, tensor);
    if (outside >= 0) {
      throw ContractViolation.ofValue(input.name(), pointer(input.name()) + Tensor.pointerOf(tensor.shape(), outside),
          "values " + input.range().orElseThrow().describe() + " (the contract's range)",
          Array.get(tensor.array(), outside) + input.featureAt(tensor.shape(), outside));
    }
  }

  /** The flat index of the first value outside the input's range; -1 when every value is within it or none is set. */
  static int firstOutsideRange(InputSpec input, Tensor tensor) {
    if (input.range().isEmpty()) {
      return -1;
    }
    ValueRange range = input.range().get();
    Object values = tensor.array();
    if (values instanceof long[] longs) {
      for (int i = 0; i < longs.length; i++) {
        if (!range.contains(longs[i])) {
          return i;
        }
      }
    } else if (values instanceof float[] floats) {
      for (int i = 0; i < floats.length; i++) {
        if (!range.contains(floats[i]) && !(Float.isNaN(floats[i]) && input.allowNonFinite())) {
          return i;
        }
      }
    } else if (values instanceof double[] doubles) {
      for (int i = 0; i < doubles.length; i++) {
        if (!range.contains(doubles[i]) && !(Double.isNaN(doubles[i]) && input.allowNonFinite())) {
          return i;
        }
      }
    }
    return -1;
  }

  private boolean isUnbatched(InputSpec input, Tensor tensor, Optional<BatchSpec> batch) throws ContractViolation {
    int rank = input.shape().rank();
    if (tensor.rank() == rank) {
      return false;
    }
    boolean allowed = batch.map(BatchSpec::unbatchedRequests).orElse(false);
    if (tensor.size() == 0 && tensor.rank() < rank) {
      // JSON writes no axis inside an empty array ([[]] is shape [1, 0]): the value's axes are the shape's first
      // ones, without the batch axis only where the value is empty from its first axis on and may leave it out
      return allowed && tensor.dim(0) == 0;
    }
    if (allowed && tensor.rank() == rank - 1) {
      return true;
    }
    String expected = allowed
        ? "rank " + rank + " " + input.shape() + " or rank " + (rank - 1) + " " + input.shape().withoutFirst()
        : "rank " + rank + " " + input.shape();
    throw new ContractViolation(input.name(), pointer(input.name()), expected,
        "rank " + tensor.rank() + " with shape " + Arrays.toString(tensor.shape()));
  }

  private void bindDims(InputSpec input, Tensor tensor, boolean unbatched, Map<String, Long> dims,
      Map<String, String> boundBy) throws ContractViolation {
    TensorShape shape = input.shape();
    // An empty value may have fewer axes than the shape (see isUnbatched): one of them is 0, which no size and no
    // bound accepts (both are at least 1), so it is refused on that axis before its missing ones matter.
    for (int axis = 0; axis < tensor.rank(); axis++) {
      long size = tensor.dim(axis);
      int requestAxis = unbatched ? axis - 1 : axis;
      Dim dim = shape.dim(axis);
      if (dim instanceof Dim.Fixed fixed && fixed.size() != size) {
        throw new ContractViolation(input.name(), pointer(input.name()),
            "size " + fixed.size() + " on axis " + requestAxis + " of " + describe(input, unbatched)
                + (axis == shape.rank() - 1 && !input.features().isEmpty() ? ", the features " + input.features()
                : ""),
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

  private static long[] requestShape(Tensor tensor, boolean unbatched) {
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
    return "/" + JsonPointer.escape(input);
  }
}
