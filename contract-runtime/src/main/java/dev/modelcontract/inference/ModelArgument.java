package dev.modelcontract.inference;

import dev.modelcontract.contract.DType;
import dev.modelcontract.tensors.Tensor;
import java.util.Map;

/** One positional argument of {@code forward}, ready for the engine. */
public sealed interface ModelArgument {

  /**
   * A tensor argument.
   *
   * @param dtype the element type the model receives
   * @param tensor the values
   */
  record Single(DType dtype, Tensor tensor) implements ModelArgument {}

  /**
   * A {@code Dict[str, Tensor]} argument.
   *
   * @param entries the tensors by key, in contract order
   */
  record Dict(Map<String, Single> entries) implements ModelArgument {}
}
