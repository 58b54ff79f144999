package dev.modelcontract.enforcement;

import dev.modelcontract.tensors.FloatTensor;

/**
 * One element of what the model returned.
 *
 * @param dtype the element type the model produced, in contract spelling (e.g. {@code float32})
 * @param tensor the values, as float32
 */
public record ModelOutput(String dtype, FloatTensor tensor) {}
