package dev.modelcontract.contract;

import java.util.List;

/** One positional argument of the model's {@code forward}. */
public sealed interface ForwardArgument {

  /** The inputs this argument is built from, in order. */
  List<String> inputs();

  /** One input, as is. */
  record Input(String name) implements ForwardArgument {
    @Override
    public List<String> inputs() {
      return List.of(name);
    }
  }

  /**
   * Inputs concatenated, in order, along an existing axis; all other axes must agree.
   *
   * @param inputs the input names, in concatenation order
   * @param axis the axis, negative counting from the last
   */
  record Concat(List<String> inputs, int axis) implements ForwardArgument {
    public Concat {
      inputs = List.copyOf(inputs);
    }
  }

  /**
   * Inputs of one shape stacked, in order, along a new axis.
   *
   * @param inputs the input names, in stacking order
   * @param axis where the new axis goes in the result, negative counting from the last
   */
  record Stack(List<String> inputs, int axis) implements ForwardArgument {
    public Stack {
      inputs = List.copyOf(inputs);
    }
  }

  /** One {@code Dict[str, Tensor]} argument keyed by the input names. */
  record Dict(List<String> inputs) implements ForwardArgument {
    public Dict {
      inputs = List.copyOf(inputs);
    }
  }
}
