package dev.modelcontract.contract;

import java.util.List;
import java.util.Optional;

/**
 * A named model output as responses carry it.
 *
 * @param name the response field name
 * @param index the position in the tuple {@code forward} returns (returns: tuple)
 * @param key the key in the dict {@code forward} returns (returns: dict); the name when absent
 * @param dtype the element type the model produces
 * @param shape the declared shape of what the model produces, batch axis included when the contract is batched
 * @param denormalize the inverse scaling applied to what the model produced
 * @param softmax whether the response carries the softmax over the last axis
 * @param labels when not empty, the response carries the label of the largest value along the last axis
 * @param pointer the JSON Pointer of this output in the contract file
 */
public record OutputSpec(
    String name,
    Optional<Integer> index,
    Optional<String> key,
    DType dtype,
    TensorShape shape,
    Optional<Normalization> denormalize,
    boolean softmax,
    List<String> labels,
    String pointer) {

  public OutputSpec {
    labels = List.copyOf(labels);
  }

  /** The key this output reads from a returned dict. */
  public String dictKey() {
    return key.orElse(name);
  }
}
