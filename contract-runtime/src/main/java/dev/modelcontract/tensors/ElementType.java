package dev.modelcontract.tensors;

import dev.modelcontract.contract.DType;

/**
 * How the elements of one named tensor are read.
 *
 * @param dtype the declared element type
 * @param allowNonFinite whether NaN, Infinity and -Infinity are accepted (float types only)
 */
public record ElementType(DType dtype, boolean allowNonFinite) {}
