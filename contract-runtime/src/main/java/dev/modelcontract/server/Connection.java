package dev.modelcontract.server;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;

/**
 * What one client connection is doing. Changed only on the connection's event loop; the drain reads it from
 * another thread.
 */
final class Connection {

  private static final AttributeKey<Connection> KEY = AttributeKey.valueOf(Connection.class, "connection");

  /** Requests whose head has been read. */
  private volatile long started;
  /** Requests whose body has been read in full. */
  private volatile long read;
  /** Requests answered. */
  private volatile long answered;
  /** When a request last started or was answered here. */
  private volatile long lastActiveNanos = System.nanoTime();
  /** Set when the next response is the last on this connection. */
  private volatile boolean closing;
  /** The body budget each request not yet answered holds, in order ({@link BodyBudget}). */
  private final ArrayDeque<Long> reservations = new ArrayDeque<>();

  static Connection of(Channel channel) {
    Connection connection = channel.attr(KEY).get();
    if (connection == null) {
      // the drain and the metrics look from other threads: the first to ask creates it, once
      Connection created = new Connection();
      connection = channel.attr(KEY).setIfAbsent(created);
      return connection == null ? created : connection;
    }
    return connection;
  }

  /** A request's head was read. */
  void started() {
    lastActiveNanos = System.nanoTime();
    started++;
  }

  void read() {
    read = started;
  }

  void answered() {
    lastActiveNanos = System.nanoTime();
    answered++;
  }

  /** Whether nothing is in progress here and nothing happened for {@code nanos}. */
  boolean idleFor(long nanos) {
    return !busy() && System.nanoTime() - lastActiveNanos >= nanos;
  }

  long readCount() {
    return read;
  }

  /** Whether the request started last is still being received: its head is read, its body not in full. */
  boolean receiving() {
    return read < started;
  }

  /** Whether a request has been started and not yet answered: the drain waits for these. */
  boolean busy() {
    return answered < started;
  }

  /** The body budget the request just started holds until it is answered (0 for none). */
  void holds(long cost) {
    reservations.addLast(cost);
  }

  /** The budget the request being answered held: the oldest unanswered request's. */
  long releaseAnswered() {
    Long cost = reservations.pollFirst();
    return cost == null ? 0 : cost;
  }

  /** The budget every unanswered request held: the connection closed. */
  long releaseAll() {
    long total = 0;
    for (Long cost : reservations) {
      total += cost;
    }
    reservations.clear();
    return total;
  }

  void closeAfterResponse() {
    closing = true;
  }

  boolean closing() {
    return closing;
  }
}
