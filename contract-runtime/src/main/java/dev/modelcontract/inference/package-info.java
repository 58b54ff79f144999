/**
 * The engine: a TorchScript file run by DJL's PyTorch engine, its argument and result types, the CPU kernels
 * libtorch may use on this host, and DJL's offline switches.
 *
 * <p>May import {@code contract} and {@code tensors}; knows nothing of the contract's request rules.
 */
package dev.modelcontract.inference;
