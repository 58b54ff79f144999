package dev.modelcontract.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The one place responses are written: headers, keep-alive or close, the metrics and the log line of a refusal.
 * Called on the connection's event loop.
 */
final class ResponseWriter {

  private final ServerMetrics metrics;
  private final RefusalLog refusals;
  private final BodyBudget budget;
  private final BooleanSupplier draining;

  ResponseWriter(ServerMetrics metrics, RefusalLog refusals, BooleanSupplier draining, BodyBudget budget) {
    this.budget = budget;
    this.metrics = metrics;
    this.refusals = refusals;
    this.draining = draining;
  }

  /**
   * Writes a response to the request that started at {@code startedNanos}; completes when it is written.
   *
   * @param keepAlive whether the client asked to keep the connection
   * @param afterWrite run once the response is on the wire, unless the connection closes
   */
  void write(ChannelHandlerContext ctx, String method, String path, long startedNanos, boolean keepAlive,
      Responses.Response response, Runnable afterWrite) {
    Connection connection = Connection.of(ctx.channel());
    if (!keepAlive || draining.getAsBoolean()) {
      connection.closeAfterResponse();
    }
    boolean head = "HEAD".equals(method);
    FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(
        response.status()), head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
    http.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, response.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
    for (Map.Entry<String, String> header : response.headers().entrySet()) {
      http.headers().set(header.getKey(), header.getValue());
    }
    if (connection.closing()) {
      http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    connection.answered();
    budget.release(connection.releaseAnswered());
    metrics.answered(path, response.status(), System.nanoTime() - startedNanos);
    if (response.problem() != null) {
      refusals.refused(method, path, response.problem());
    }
    ctx.writeAndFlush(http).addListener((ChannelFutureListener) written -> {
      if (connection.closing() || !written.isSuccess()) {
        written.channel().close();
      } else {
        afterWrite.run();
      }
    });
  }
}
