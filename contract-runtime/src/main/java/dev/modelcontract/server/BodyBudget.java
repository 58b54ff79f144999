package dev.modelcontract.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How much memory the request bodies in flight may take at once. Each request reserves its cost from its head
 * (before a byte of its body is read) and frees it once answered; a request that does not fit is answered 503 with
 * {@code Retry-After}, so that many large bodies at once slow callers down instead of exhausting the heap.
 */
final class BodyBudget {

  /**
   * What one body byte costs while its request is served: the body as received, its copy as bytes, and the arrays
   * it decodes into.
   */
  static final int BYTES_PER_BODY_BYTE = 3;

  private final long capacity;
  private final AtomicLong reserved = new AtomicLong();

  BodyBudget(long capacity) {
    this.capacity = capacity;
  }

  /** What a request with this head costs: its declared length, or the limit where it is chunked or coded. */
  static long cost(long declaredLength, boolean chunkedOrCoded, long maxRequestBytes) {
    long bytes = chunkedOrCoded ? maxRequestBytes : Math.max(0, declaredLength);
    return bytes * BYTES_PER_BODY_BYTE;
  }

  /**
   * Reserves the cost where it fits, or where nothing else is reserved (one request is always admitted); a request
   * without a body (a health check) always fits.
   */
  boolean tryReserve(long cost) {
    if (cost == 0) {
      return true;
    }
    while (true) {
      long now = reserved.get();
      if (now > 0 && now + cost > capacity) {
        return false;
      }
      if (reserved.compareAndSet(now, now + cost)) {
        return true;
      }
    }
  }

  void release(long cost) {
    reserved.addAndGet(-cost);
  }

  long reserved() {
    return reserved.get();
  }

  long capacity() {
    return capacity;
  }
}
