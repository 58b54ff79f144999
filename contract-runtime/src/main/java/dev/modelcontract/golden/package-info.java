/**
 * Golden pairs: request/response files computed in Python, read, recorded, and compared value by value.
 *
 * <p>May import {@code contract}, {@code tensors} and {@code enforcement}.
 */
package dev.modelcontract.golden;
