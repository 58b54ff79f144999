package dev.modelcontract.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per refused request or timeout, at most {@code perSecond} lines a second: a client that sends
 * thousands of bad requests must not fill the disk or drown the other lines. The next line written says how many
 * were left out.
 */
final class RefusalLog {

  private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);

  private final int perSecond;
  private final Consumer<String> lines;
  private final LongSupplier nanoTime;
  private final AtomicLong windowStart;
  private final AtomicLong inWindow = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();

  RefusalLog(int perSecond) {
    this(perSecond, LOG::warn, System::nanoTime);
  }

  RefusalLog(int perSecond, Consumer<String> lines, LongSupplier nanoTime) {
    this.perSecond = perSecond;
    this.lines = lines;
    this.nanoTime = nanoTime;
    this.windowStart = new AtomicLong(nanoTime.getAsLong());
  }

  /** {@code refused POST /invocations 422 contract-violation input=input_1: detail}. */
  void refused(String method, String path, Problem problem) {
    String input = problem.extensions().get("input");
    log(() -> "refused " + method + " " + path + " " + problem.status() + " " + problem.type().slug()
        + (input == null ? "" : " input=" + input) + ": " + problem.detail());
  }

  void timedOut(String remote, String what) {
    log(() -> "timed out " + what + " from " + remote);
  }

  private void log(Supplier<String> line) {
    long now = nanoTime.getAsLong();
    long start = windowStart.get();
    if (now - start > TimeUnit.SECONDS.toNanos(1) && windowStart.compareAndSet(start, now)) {
      inWindow.set(0);
    }
    if (inWindow.incrementAndGet() > perSecond) {
      suppressed.incrementAndGet();
      return;
    }
    long left = suppressed.getAndSet(0);
    if (left > 0) {
      lines.accept("(" + left + " more refusals and timeouts were not logged: at most " + perSecond
          + " lines a second)");
    }
    lines.accept(line.get());
  }
}
