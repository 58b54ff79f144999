package dev.modelcontract.server;

import dev.modelcontract.enforcement.BoundRequest;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.enforcement.RequestBatch;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.tensors.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model's only callers: {@code workers} long-lived {@code inference-N} threads, so libtorch runs on the same
 * few threads (each with its own OpenMP team) every time, never on an I/O thread. Checked requests queue here;
 * a free thread takes the oldest and, with batching on, every queued request of the same signature up to the most
 * rows a forward pass may take (waiting up to the batch delay for more), and runs them as one forward pass.
 * A thread that finds the queue empty polls it for the spin time before it parks.
 */
final class InferenceQueue {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceQueue.class);

  /** A checked request and where its answer goes. */
  private record Job(BoundRequest request, RequestBatch.Signature signature, long rows, long values,
      CompletableFuture<Map<String, Tensor>> answer) {}

  /**
   * The most input values one merged forward pass takes (16 MB of float32): a batch dim without an upper bound
   * must not let queued large requests merge into one huge copy.
   */
  static final long MAX_BATCH_VALUES = 4L << 20;

  /** Thrown when the queue is full: the client should retry later (503). */
  static final class Full extends Exception {
    Full(int capacity) {
      super(capacity + " requests already wait for the model");
    }
  }

  private final ContractModel model;
  private final long maxRows;
  private final long delayNanos;
  private final long spinNanos;
  private final int capacity;
  private final ServerMetrics metrics;
  private final LinkedBlockingDeque<Job> queue = new LinkedBlockingDeque<>();
  /** Bodies submitted so far: what a spinning inference thread watches instead of the queue. */
  private final AtomicLong submissions = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();

  InferenceQueue(ContractModel model, int workers, ServerConfig.Batching batching, int capacity,
      ServerMetrics metrics) {
    this.model = model;
    this.maxRows = batching.rowsPerPass(model.maxBatchRows());
    this.delayNanos = batching.delay().toNanos();
    this.spinNanos = batching.spin().toNanos();
    this.capacity = capacity;
    this.metrics = metrics;
    for (int i = 1; i <= workers; i++) {
      Thread thread = new Thread(this::work, "inference-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    LOG.info("{} inference threads, polling {} µs before they park; {}", workers,
        TimeUnit.NANOSECONDS.toMicros(spinNanos), maxRows > 1
        ? "requests of one signature share a forward pass up to " + maxRows + " rows, waiting up to "
            + TimeUnit.NANOSECONDS.toMicros(delayNanos) + " µs for more"
        : "one request per forward pass");
  }

  /**
   * Queues the checked requests of one body (one, or a JSON Lines body's lines); the answers complete on inference
   * threads. A body is admitted whole, or refused whole when the queue is already full: its size limit bounds
   * what one body adds.
   */
  List<CompletableFuture<Map<String, Tensor>>> submit(List<BoundRequest> requests) throws Full {
    if (queue.size() >= capacity) {
      throw new Full(capacity);
    }
    List<CompletableFuture<Map<String, Tensor>>> answers = new ArrayList<>(requests.size());
    for (BoundRequest request : requests) {
      CompletableFuture<Map<String, Tensor>> answer = new CompletableFuture<>();
      long values = 0;
      for (Tensor input : request.inputs()) {
        values += input.size();
      }
      queue.add(new Job(request, maxRows > 1 ? RequestBatch.signature(request) : null, RequestBatch.rows(request),
          values, answer));
      answers.add(answer);
    }
    submissions.incrementAndGet();
    return answers;
  }

  int depth() {
    return queue.size();
  }

  /** The most rows one forward pass takes: the batching's, within the contract's batch maximum. */
  long maxRows() {
    return maxRows;
  }

  private void work() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        run(take());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The oldest request and, with batching on, the queued requests that can share its forward pass. */
  private List<Job> take() throws InterruptedException {
    long seen = submissions.get();
    Job first = queue.poll();
    if (first == null && spinNanos > 0) {
      // Waking a parked thread (and, on a VM, its idle vCPU) costs more than a request at low load does. The
      // spin reads a counter, not the queue (whose lock the I/O threads need to add), and yields: where other
      // threads wait for this core (a loaded host), they get it; where none do, the yield returns at once.
      long until = System.nanoTime() + spinNanos;
      while (first == null && System.nanoTime() < until) {
        Thread.yield();
        long now = submissions.get();
        if (now != seen) {
          seen = now;
          first = queue.poll();
        }
      }
    }
    if (first == null) {
      first = queue.take();
    }
    List<Job> batch = new ArrayList<>();
    batch.add(first);
    if (maxRows <= 1 || first.rows() >= maxRows) {
      return batch;
    }
    List<Job> others = new ArrayList<>();
    long rows = first.rows();
    long values = first.values();
    long deadline = System.nanoTime() + delayNanos;
    try {
      while (rows < maxRows) {
        long wait = deadline - System.nanoTime();
        Job next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
        if (next == null) {
          break;
        }
        if (next.signature().equals(first.signature()) && rows + next.rows() <= maxRows
            && values + next.values() <= MAX_BATCH_VALUES) {
          batch.add(next);
          rows += next.rows();
          values += next.values();
        } else {
          others.add(next);
        }
      }
    } catch (InterruptedException e) {
      // stopping: what was taken still runs (or is answered by close), nothing is lost
      Thread.currentThread().interrupt();
    }
    for (int i = others.size() - 1; i >= 0; i--) {
      queue.addFirst(others.get(i));
    }
    return batch;
  }

  private void run(List<Job> batch) {
    metrics.forwardPass(batch.size());
    List<BoundRequest> requests = batch.stream().map(Job::request).toList();
    try {
      List<Map<String, Tensor>> answers = model.run(requests);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).answer().complete(answers.get(i));
      }
    } catch (OutputMismatch | ModelFailure | RuntimeException e) {
      if (batch.size() == 1) {
        batch.get(0).answer().completeExceptionally(e);
      } else {
        // One request's values may be what the model fails on: answer each on its own, as if never batched.
        batch.forEach(job -> run(List.of(job)));
      }
    } catch (Error e) {
      // Every client gets an answer and this thread keeps serving (an OutOfMemoryError ends the JVM anyway).
      LOG.error("inference failed", e);
      batch.forEach(job -> job.answer().completeExceptionally(e));
    }
  }

  /**
   * Stops the inference threads, waiting a moment for a forward pass in progress; requests still queued are
   * answered with a failure.
   *
   * @return whether every inference thread has stopped, so the model may be closed
   */
  boolean stop() {
    threads.forEach(Thread::interrupt);
    for (Thread thread : threads) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Job job = queue.poll(); job != null; job = queue.poll()) {
      job.answer().completeExceptionally(new ModelFailure("the server stopped before the model ran this request",
          null));
    }
    return threads.stream().noneMatch(Thread::isAlive);
  }
}
