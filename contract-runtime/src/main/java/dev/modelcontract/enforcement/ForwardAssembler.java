package dev.modelcontract.enforcement;

import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.ForwardArgument;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.inference.ModelArgument;
import dev.modelcontract.tensors.Tensor;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the positional arguments of {@code forward} from bound, normalized inputs, as the contract says. */
public final class ForwardAssembler {

  private final List<ForwardArgument> arguments;
  /** For each argument, the positions of its inputs in contract order: resolved once, not per request. */
  private final List<int[]> memberIndexes = new ArrayList<>();
  private final List<String> inputNames;
  private final List<DType> dtypes;

  public ForwardAssembler(ModelContract contract) {
    this.arguments = contract.forward().arguments();
    this.inputNames = contract.inputNames();
    this.dtypes = contract.inputs().stream().map(input -> input.dtype()).toList();
    for (ForwardArgument argument : arguments) {
      memberIndexes.add(argument.inputs().stream().mapToInt(inputNames::indexOf).toArray());
    }
  }

  /** The arguments, in order, from the inputs in contract order. */
  public List<ModelArgument> assemble(List<Tensor> inputs) {
    List<ModelArgument> assembled = new ArrayList<>(arguments.size());
    for (int a = 0; a < arguments.size(); a++) {
      ForwardArgument argument = arguments.get(a);
      int[] indexes = memberIndexes.get(a);
      int first = indexes[0];
      List<Tensor> members = new ArrayList<>(indexes.length);
      for (int index : indexes) {
        members.add(inputs.get(index));
      }
      if (argument instanceof ForwardArgument.Dict) {
        Map<String, ModelArgument.Single> entries = new LinkedHashMap<>();
        for (int index : indexes) {
          entries.put(inputNames.get(index), new ModelArgument.Single(dtypes.get(index), inputs.get(index)));
        }
        assembled.add(new ModelArgument.Dict(entries));
      } else if (argument instanceof ForwardArgument.Concat concat) {
        assembled.add(new ModelArgument.Single(dtypes.get(first), members.size() == 1 ? members.get(0)
            : concat(members, concat.axis())));
      } else if (argument instanceof ForwardArgument.Stack stack) {
        assembled.add(new ModelArgument.Single(dtypes.get(first), stack(members, stack.axis())));
      } else {
        assembled.add(new ModelArgument.Single(dtypes.get(first), members.get(0)));
      }
    }
    return assembled;
  }

  /** Joins tensors along an existing axis; every other axis agrees (the binder checked). */
  static Tensor concat(List<Tensor> members, int axis) {
    long[] shape = members.get(0).shape().clone();
    int resolved = axis < 0 ? shape.length + axis : axis;
    long joined = 0;
    for (Tensor member : members) {
      joined += member.dim(resolved);
    }
    shape[resolved] = joined;
    int inner = (int) Tensor.sizeOf(Arrays.copyOfRange(shape, resolved + 1, shape.length));
    int outer = (int) Tensor.sizeOf(Arrays.copyOfRange(shape, 0, resolved));
    Object out = Array.newInstance(members.get(0).array().getClass().getComponentType(),
        Math.toIntExact(Tensor.sizeOf(shape)));
    int position = 0;
    for (int o = 0; o < outer; o++) {
      for (Tensor member : members) {
        int block = (int) member.dim(resolved) * inner;
        System.arraycopy(member.array(), o * block, out, position, block);
        position += block;
      }
    }
    return Tensor.of(shape, out);
  }

  /** Joins tensors of one shape along a new axis at {@code axis} of the result. */
  static Tensor stack(List<Tensor> members, int axis) {
    long[] memberShape = members.get(0).shape();
    int rank = memberShape.length + 1;
    int resolved = axis < 0 ? rank + axis : axis;
    long[] shape = new long[rank];
    for (int i = 0, j = 0; i < rank; i++) {
      shape[i] = i == resolved ? members.size() : memberShape[j++];
    }
    int outer = (int) Tensor.sizeOf(Arrays.copyOfRange(memberShape, 0, resolved));
    int block = (int) Tensor.sizeOf(Arrays.copyOfRange(memberShape, resolved, memberShape.length));
    Object out = Array.newInstance(members.get(0).array().getClass().getComponentType(),
        Math.toIntExact(Tensor.sizeOf(shape)));
    int position = 0;
    for (int o = 0; o < outer; o++) {
      for (Tensor member : members) {
        System.arraycopy(member.array(), o * block, out, position, block);
        position += block;
      }
    }
    return Tensor.of(shape, out);
  }
}
