package dev.modelcontract.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bytes in, before any HTTP decoding: a request must arrive in full, from its first byte to the last of its body,
 * within the read timeout, however slowly it trickles (else {@link TimedOut} goes up the pipeline and the request is
 * answered 408); a connection that sends nothing for as long, between requests, is closed. A request being served
 * waits for the model, not for the client, and has no deadline here.
 */
final class ReadDeadline extends ChannelInboundHandlerAdapter {

  /** The event sent up the pipeline when a request did not arrive in time. */
  static final class TimedOut {
    static final TimedOut INSTANCE = new TimedOut();

    private TimedOut() {}
  }

  private final long timeoutNanos;
  private ScheduledFuture<?> checks;
  /** When the first byte of the request now arriving came; -1 between requests. */
  private long arrivingSince = -1;
  private long lastByteNanos = System.nanoTime();
  /** Requests read in full when this connection was last looked at. */
  private long readBefore;
  private boolean timedOut;

  ReadDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(100), timeoutNanos / 4);
    checks = ctx.executor().scheduleAtFixedRate(() -> check(ctx), period, period, TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (checks != null) {
      checks.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object bytes) {
    lastByteNanos = System.nanoTime();
    if (arrivingSince < 0) {
      arrivingSince = lastByteNanos;
    }
    ctx.fireChannelRead(bytes);
    settle(Connection.of(ctx.channel()), lastByteNanos);
  }

  /**
   * Once a request has been read in full, the deadline moves to the next one: counted from these bytes if they
   * already began it (pipelined), else from the next byte.
   */
  private void settle(Connection connection, long bytesAt) {
    long read = connection.readCount();
    if (read != readBefore) {
      readBefore = read;
      arrivingSince = connection.receiving() ? bytesAt : -1;
    }
  }

  private void check(ChannelHandlerContext ctx) {
    Connection connection = Connection.of(ctx.channel());
    long now = System.nanoTime();
    settle(connection, lastByteNanos);
    if (arrivingSince >= 0 && now - arrivingSince >= timeoutNanos && !timedOut) {
      timedOut = true;
      ctx.fireUserEventTriggered(TimedOut.INSTANCE);
    } else if (arrivingSince < 0 && now - lastByteNanos >= timeoutNanos && connection.idleFor(timeoutNanos)) {
      ctx.close();
    }
  }
}
