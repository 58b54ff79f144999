package dev.modelcontract.inference;

import dev.modelcontract.tensors.Tensor;

/**
 * One tensor of what the model returned.
 *
 * @param key its key when the model returned a dict, else null
 * @param dtype the element type the model produced, in contract spelling (e.g. {@code float32}), or the engine's
 *     name for types contracts cannot declare
 * @param tensor the values
 */
public record ModelOutput(String key, String dtype, Tensor tensor) {}
