package dev.modelcontract.contract;

import java.util.List;

/** One positional argument of the model's {@code forward}. */
public sealed interface ForwardArgument {

  /** The inputs this argument is built from, in order. */
  List<String> inputs();

  /**
   * Several inputs concatenated, in the given order, along the last axis; all other axes must agree.
   *
   * @param inputs the input names, in concatenation order
   */
  record Concat(List<String> inputs) implements ForwardArgument {
    public Concat {
      inputs = List.copyOf(inputs);
    }
  }
}
