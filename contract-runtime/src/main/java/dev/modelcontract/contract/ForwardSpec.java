package dev.modelcontract.contract;

import java.util.List;

/**
 * How named inputs become the arguments of the model's {@code forward}, and how its result is read.
 *
 * @param arguments the positional arguments, in order
 * @param returns the form of the result
 */
public record ForwardSpec(List<ForwardArgument> arguments, Returns returns) {

  public ForwardSpec {
    arguments = List.copyOf(arguments);
  }

  /** The form of what {@code forward} returns. */
  public enum Returns {
    /** One tensor: every output reads it. */
    TENSOR("tensor"),
    /** A tuple of tensors: each output names its position. */
    TUPLE("tuple"),
    /** A {@code Dict[str, Tensor]}: each output names its key. */
    DICT("dict");

    private final String contractName;

    Returns(String contractName) {
      this.contractName = contractName;
    }

    public static Returns fromContractName(String name) {
      for (Returns returns : values()) {
        if (returns.contractName.equals(name)) {
          return returns;
        }
      }
      throw new IllegalArgumentException("no returns form '" + name + "'");
    }

    @Override
    public String toString() {
      return contractName;
    }
  }
}
