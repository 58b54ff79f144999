/**
 * The contract applied to requests: binding named tensors to the declared inputs (shapes, dims, dtypes, ranges,
 * defaults), normalization in and out ({@link dev.modelcontract.enforcement.Scaling}), assembling {@code forward}'s
 * arguments, mapping what it returns onto the outputs, and the façade that does all of it around a model,
 * {@link dev.modelcontract.enforcement.ContractModel}.
 *
 * <p>May import {@code contract}, {@code tensors} and {@code inference}.
 */
package dev.modelcontract.enforcement;
