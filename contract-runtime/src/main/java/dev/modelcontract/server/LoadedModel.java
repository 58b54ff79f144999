package dev.modelcontract.server;

import dev.modelcontract.enforcement.ContractModel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model a multi-model endpoint serves: its name and URL as SageMaker gave them, the model, its inference threads,
 * its own /invocations handler, and the memory charged for it. Counts the requests it is serving, so that an unload
 * can wait for them before it closes the model.
 */
final class LoadedModel {

  private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);

  private final String name;
  private final String url;
  private final ContractModel model;
  private final InferenceQueue queue;
  private final InvocationsHandler invocations;
  private final long charge;
  private int inFlight;
  private boolean closing;

  LoadedModel(String name, String url, ContractModel model, InferenceQueue queue, InvocationsHandler invocations,
      long charge) {
    this.name = name;
    this.url = url;
    this.model = model;
    this.queue = queue;
    this.invocations = invocations;
    this.charge = charge;
  }

  String name() {
    return name;
  }

  String url() {
    return url;
  }

  long charge() {
    return charge;
  }

  InvocationsHandler invocations() {
    return invocations;
  }

  int depth() {
    return queue.depth();
  }

  /** Counts one more request in flight; false once the model is closing, when the request must not start. */
  synchronized boolean enter() {
    if (closing) {
      return false;
    }
    inFlight++;
    return true;
  }

  synchronized void exit() {
    if (--inFlight == 0) {
      notifyAll();
    }
  }

  /**
   * Lets no more requests start, waits up to {@code timeout} for those in flight to be answered, then stops the
   * inference threads and closes the model, freeing libtorch's native memory.
   *
   * @return whether every request in flight was answered before the model closed
   */
  boolean close(Duration timeout) {
    boolean drained = awaitIdle(timeout);
    if (queue.stop()) {
      model.close();
    } else {
      LOG.warn("model {}: a forward pass is still running; its model is left to the process's exit", name);
    }
    return drained;
  }

  private synchronized boolean awaitIdle(Duration timeout) {
    closing = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        LOG.warn("model {}: {} requests still in flight after {} s are cut", name, inFlight, timeout.toSeconds());
        return false;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
