package dev.modelcontract.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Collects a request's body up to the limit: the bodies of a declared length up to InvokeEndpoint's 6 MiB (larger
 * ones and chunked ones are collected on the heap by {@link LargeBodyCollector}). Bodies declared too large never get here
 * ({@link RequestGuard}); one that grows past the limit anyway is answered 413 as a problem, and the connection closes.
 */
final class BodyAggregator extends HttpObjectAggregator {

  private final long maxRequestBytes;

  BodyAggregator(long maxRequestBytes) {
    super(Math.toIntExact(maxRequestBytes));
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    HttpRequest request = (HttpRequest) oversized;
    ctx.channel().config().setAutoRead(false);
    ctx.fireChannelRead(new RequestRouter.Refusal(request.method().name(), Routes.pathOf(request.uri()),
        System.nanoTime(), false, Responses.problem(Refusals.tooLarge(maxRequestBytes, "more bytes"))));
  }
}
