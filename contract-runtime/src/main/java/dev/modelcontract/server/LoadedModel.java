package dev.modelcontract.server;

import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.enforcement.FeatureSkew;
import io.netty.handler.codec.http.FullHttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model a multi-model endpoint serves: its name and URL as SageMaker gave them, the model, its inference threads,
 * its own /invocations handler, and the memory charged for it. Serves the requests of both route families that
 * name it ({@code /models/NAME/invoke}, {@code /v2/models/NAME/infer}), counting them in its metrics and while they
 * are in flight, so that an unload can wait for them before it closes the model.
 */
final class LoadedModel implements ServedModel {

  private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);

  private final String name;
  private final String url;
  private final ContractModel model;
  private final InferenceQueue queue;
  private final InvocationsHandler invocations;
  private final long charge;
  private final ServerMetrics metrics;
  private final Instant loadedAt = Instant.now();
  private final byte[] metadata;
  private int inFlight;
  private boolean closing;

  LoadedModel(String name, String url, ContractModel model, InferenceQueue queue, InvocationsHandler invocations,
      long charge, ServerMetrics metrics) {
    this.name = name;
    this.url = url;
    this.model = model;
    this.queue = queue;
    this.invocations = invocations;
    this.charge = charge;
    this.metrics = metrics;
    this.metadata = OpenInferenceMetadata.bytes(OpenInferenceMetadata.model(model.contract(), name));
  }

  /** The refusal of a request for a model whose unload has begun: it is not ready, and soon not loaded. */
  static RequestRefused unloading(String name) {
    return new RequestRefused(ProblemType.MODEL_LOADING.problem("the model " + name + " is unloading; load it again"
        + " with POST " + ModelsHandler.MODELS + " once its unload is answered", "model", name));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] metadata() {
    return metadata;
  }

  /**
   * Serves the request unless the model is closing; counted in the model's metrics, and in flight until answered, so
   * that an unload answers it before it closes the model.
   */
  @Override
  public CompletableFuture<Responses.Response> serve(FullHttpRequest request, String path, boolean openInference)
      throws RequestRefused {
    if (!enter()) {
      throw unloading(name);
    }
    long started = System.nanoTime();
    CompletableFuture<Responses.Response> answer;
    try {
      answer = openInference ? invocations.serveOpenInference(request, path) : invocations.serve(request, path);
    } catch (RuntimeException e) {
      exit();
      throw e;
    }
    answer.whenComplete((response, failure) -> {
      // counted before the model's exit, so an unload's dropping of its series comes after the last count
      metrics.invoked(name, failure == null ? response.status() : 500, System.nanoTime() - started);
      exit();
    });
    return answer;
  }

  /** Its inputs' observed skew against their training statistics. */
  List<FeatureSkew> skew() {
    return model.skew();
  }

  String url() {
    return url;
  }

  long charge() {
    return charge;
  }

  /** When its load finished and its inference threads started. */
  Instant loadedAt() {
    return loadedAt;
  }

  /** The most rows one forward pass of this model takes. */
  long batchSize() {
    return queue.maxRows();
  }

  int depth() {
    return queue.depth();
  }

  /** Counts one more request in flight; false once the model is closing, when the request must not start. */
  private synchronized boolean enter() {
    if (closing) {
      return false;
    }
    inFlight++;
    return true;
  }

  private synchronized void exit() {
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
