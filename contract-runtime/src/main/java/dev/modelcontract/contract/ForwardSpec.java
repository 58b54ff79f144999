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
    /** A tuple of tensors; each output names its position. */
    TUPLE
  }
}
