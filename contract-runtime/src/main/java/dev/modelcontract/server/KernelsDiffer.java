package dev.modelcontract.server;

/**
 * The uncapped kernels a serving process started with gave other numbers than the capped ones for its model on this
 * host ({@link KernelCheck}): the process must not serve with them, and restarts capped ({@link CappedRestart}).
 */
public final class KernelsDiffer extends Exception {

  public KernelsDiffer(String reason) {
    super(reason);
  }
}
