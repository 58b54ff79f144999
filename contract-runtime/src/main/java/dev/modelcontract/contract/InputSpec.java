package dev.modelcontract.contract;

import java.util.Optional;

/**
 * A named model input as requests send it.
 *
 * @param name the request field name
 * @param dtype the element type
 * @param shape the declared shape, batch axis included when the contract is batched
 * @param normalize the scaling applied before the model sees the input
 * @param allowNonFinite whether NaN and ±Infinity are accepted
 * @param range the values accepted, where the contract bounds them
 * @param defaultValue the JSON value used when a request omits the input (which makes it optional): a scalar
 *     that fills the shape, or an array of the shape without the batch axis
 * @param pointer the JSON Pointer of this input in the contract file
 */
public record InputSpec(
    String name,
    DType dtype,
    TensorShape shape,
    Optional<Normalization> normalize,
    boolean allowNonFinite,
    Optional<ValueRange> range,
    Optional<String> defaultValue,
    String pointer) {

  public boolean optional() {
    return defaultValue.isPresent();
  }
}
