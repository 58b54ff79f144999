package dev.modelcontract.contract;

/**
 * The model file a contract describes.
 *
 * @param file the TorchScript file, relative to the contract's directory
 */
public record ModelSpec(String file) {}
