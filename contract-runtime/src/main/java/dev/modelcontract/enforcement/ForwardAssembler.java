package dev.modelcontract.enforcement;

import dev.modelcontract.contract.ForwardArgument;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/** Builds the positional arguments of {@code forward} from bound, normalized inputs, as the contract says. */
public final class ForwardAssembler {

  private final List<int[]> argumentInputs = new ArrayList<>();

  public ForwardAssembler(ModelContract contract) {
    List<String> inputNames = contract.inputNames();
    for (ForwardArgument argument : contract.forward().arguments()) {
      argumentInputs.add(argument.inputs().stream().mapToInt(inputNames::indexOf).toArray());
    }
  }

  /** The arguments, in order, from the inputs in contract order. */
  public List<FloatTensor> assemble(List<FloatTensor> inputs) {
    List<FloatTensor> arguments = new ArrayList<>(argumentInputs.size());
    for (int[] members : argumentInputs) {
      arguments.add(members.length == 1 ? inputs.get(members[0]) : concatLastAxis(inputs, members));
    }
    return arguments;
  }

  /** Row by row: every axis but the last agrees (the binder checked), so rows interleave. */
  static FloatTensor concatLastAxis(List<FloatTensor> inputs, int[] members) {
    FloatTensor first = inputs.get(members[0]);
    int rank = first.rank();
    int rows = first.values().length / (int) first.dim(rank - 1);
    int[] widths = new int[members.length];
    int width = 0;
    for (int m = 0; m < members.length; m++) {
      widths[m] = (int) inputs.get(members[m]).dim(rank - 1);
      width += widths[m];
    }
    float[] out = new float[rows * width];
    for (int m = 0, column = 0; m < members.length; column += widths[m], m++) {
      float[] source = inputs.get(members[m]).values();
      int w = widths[m];
      for (int row = 0; row < rows; row++) {
        System.arraycopy(source, row * w, out, row * width + column, w);
      }
    }
    long[] shape = first.shape().clone();
    shape[rank - 1] = width;
    return new FloatTensor(shape, out);
  }
}
