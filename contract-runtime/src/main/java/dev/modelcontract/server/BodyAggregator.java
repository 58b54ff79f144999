package dev.modelcontract.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Collects a request's body up to the limit. Bodies declared too large never get here ({@link RequestGuard});
 * a chunked body that grows past the limit is answered 413 as a problem, and the connection closes.
 */
final class BodyAggregator extends HttpObjectAggregator {

  private final long maxRequestBytes;
  private final ResponseWriter writer;

  BodyAggregator(long maxRequestBytes, ResponseWriter writer) {
    super(Math.toIntExact(maxRequestBytes));
    this.maxRequestBytes = maxRequestBytes;
    this.writer = writer;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    HttpRequest request = (HttpRequest) oversized;
    ctx.channel().config().setAutoRead(false);
    writer.write(ctx, request.method().name(), Routes.pathOf(request.uri()), System.nanoTime(), false,
        Responses.problem(RequestGuard.tooLarge(maxRequestBytes, "more bytes")), () -> { });
  }
}
