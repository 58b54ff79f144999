package dev.modelcontract.contract;

import java.util.Optional;

/**
 * A named model output as responses carry it.
 *
 * @param name the response field name
 * @param index the position in the tuple that {@code forward} returns
 * @param dtype the element type the model produces
 * @param shape the declared shape, batch axis included when the contract is batched
 * @param denormalize the inverse standardization applied to what the model produced
 * @param pointer the JSON Pointer of this output in the contract file
 */
public record OutputSpec(
    String name,
    int index,
    DType dtype,
    TensorShape shape,
    Optional<Standardization> denormalize,
    String pointer) {}
