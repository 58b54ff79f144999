package dev.modelcontract.contract;

import java.util.Optional;

/**
 * A named model input as requests send it.
 *
 * @param name the request field name
 * @param dtype the element type
 * @param shape the declared shape, batch axis included when the contract is batched
 * @param normalize the standardization applied before the model sees the input
 * @param pointer the JSON Pointer of this input in the contract file
 */
public record InputSpec(
    String name, DType dtype, TensorShape shape, Optional<Standardization> normalize, String pointer) {}
