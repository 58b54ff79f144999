package dev.modelcontract.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that decode and check large bodies, so that no body, however slow to read, holds the event loop that
 * answers {@code GET /ping} and every other connection. Small bodies, the common case, stay on the event loop:
 * a hand-off would cost them more than their decoding.
 */
final class DecodePool implements AutoCloseable {

  /** Bodies of this many bytes or more are decoded here, and compressed bodies of any size. */
  static final int OFFLOAD_BYTES = 64 * 1024;
  /** Large bodies that may wait for a decode thread before more are answered 503. */
  private static final int QUEUE_CAPACITY = 64;

  /** Work done on a decode thread: its answer, or the refusal it ended in. */
  @FunctionalInterface
  interface Work {
    CompletableFuture<Responses.Response> run() throws RequestRefused;
  }

  private final ThreadPoolExecutor threads;

  DecodePool(int threads) {
    AtomicInteger count = new AtomicInteger();
    this.threads = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE_CAPACITY), work -> {
          Thread thread = new Thread(work, "decode-" + count.incrementAndGet());
          thread.setDaemon(true);
          // below the event loops, where the JVM honours priorities (the image's entrypoint has it do so)
          thread.setPriority(Thread.MIN_PRIORITY);
          return thread;
        });
  }

  /** Runs the work on a decode thread; 503 with {@code Retry-After} when too many large bodies already wait. */
  CompletableFuture<Responses.Response> submit(Work work, Runnable onRejected) {
    CompletableFuture<Responses.Response> answer = new CompletableFuture<>();
    try {
      threads.execute(() -> {
        try {
          work.run().whenComplete((response, failure) -> {
            if (failure != null) {
              answer.completeExceptionally(failure);
            } else {
              answer.complete(response);
            }
          });
        } catch (RequestRefused e) {
          answer.complete(e.response());
        } catch (RuntimeException | Error e) {
          answer.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      onRejected.run();
      answer.complete(new RequestRefused(ProblemType.OVERLOADED.problem(QUEUE_CAPACITY + " large bodies already"
          + " wait to be decoded; retry shortly")).withHeader("Retry-After", "1").response());
    }
    return answer;
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
