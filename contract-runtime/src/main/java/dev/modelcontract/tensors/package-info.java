/**
 * Tensor values on the Java heap and their wire formats: the decoders and encoders of JSON (named, in each
 * {@link dev.modelcontract.tensors.Envelope envelope}), numpy {@code .npy}/{@code .npz} and CSV, producing one
 * cross-format {@link dev.modelcontract.tensors.RequestBody}.
 *
 * <p>May import {@code contract} only.
 */
package dev.modelcontract.tensors;
