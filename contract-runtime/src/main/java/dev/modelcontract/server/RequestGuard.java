package dev.modelcontract.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;

/**
 * Everything decided from a request's head, before its body is read: malformed requests (400), URL or headers
 * too long (414, 431), HTTP versions other than 1.x (505), unsupported content codings (415), bodies declared over
 * the limit (413, also in answer to {@code Expect: 100-continue}), and the read timeout (408). A refused request's
 * body is read and dropped when its length is known and small enough, so the client reads the answer and the
 * connection stays usable; otherwise the connection closes after the answer.
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {

  /** How many limits' worth of a refused body is read and dropped rather than closing the connection. */
  static final long DISCARD_FACTOR = 4;

  private final long maxRequestBytes;
  private final Duration readTimeout;
  private final ResponseWriter writer;
  private final RefusalLog refusals;
  private final BodyBudget budget;

  /** Set while the rest of a refused request's body is dropped. */
  private boolean discarding;
  private String method = "";
  private String path = "";
  private long startedNanos;

  RequestGuard(long maxRequestBytes, Duration readTimeout, ResponseWriter writer, RefusalLog refusals,
      BodyBudget budget) {
    this.budget = budget;
    this.maxRequestBytes = maxRequestBytes;
    this.readTimeout = readTimeout;
    this.writer = writer;
    this.refusals = refusals;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (message instanceof HttpRequest request) {
      begin(ctx, request);
    }
    boolean last = message instanceof LastHttpContent;
    if (last) {
      Connection.of(ctx.channel()).read();
    }
    if (discarding) {
      discarding = !last;
      ReferenceCountUtil.release(message);
      return;
    }
    ctx.fireChannelRead(message);
  }

  private void begin(ChannelHandlerContext ctx, HttpRequest request) {
    Connection connection = Connection.of(ctx.channel());
    connection.started();
    startedNanos = System.nanoTime();
    method = request.method().name();
    path = Routes.pathOf(request.uri());
    Problem refusal = refusal(request);
    if (refusal == null) {
      refusal = reserve(request, connection);
    }
    if (refusal == null) {
      if (HttpUtil.is100ContinueExpected(request)) {
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
            Unpooled.EMPTY_BUFFER));
        request.headers().remove(HttpHeaderNames.EXPECT);
      }
      return;
    }
    connection.holds(0); // answered without reading its body: it reserved nothing
    boolean wellFormed = request.decoderResult().isSuccess();
    long declared = wellFormed ? HttpUtil.getContentLength(request, 0L) : -1;
    // A refused body of a known, bounded length is read and dropped (it takes no memory), as nginx's lingering close
    // does, so that the caller, still writing it, reads the answer instead of a reset, and the connection stays up.
    boolean dropBody = wellFormed && !HttpUtil.is100ContinueExpected(request)
        && !HttpUtil.isTransferEncodingChunked(request) && declared <= DISCARD_FACTOR * maxRequestBytes;
    discarding = true;
    Responses.Response response = Responses.problem(refusal);
    if (refusal.status() == 415) {
      response = response.withHeader(HttpHeaderNames.ACCEPT_ENCODING.toString(), ContentCodings.SUPPORTED);
    }
    if (refusal.type() == ProblemType.OVERLOADED) {
      response = response.withHeader(HttpHeaderNames.RETRY_AFTER.toString(), "1");
    }
    if (refusal.type() == ProblemType.METHOD_NOT_ALLOWED) {
      response = response.withHeader(HttpHeaderNames.ALLOW.toString(), "GET, HEAD, POST");
    }
    refuse(ctx, dropBody && HttpUtil.isKeepAlive(request), response);
    if (request.decoderResult().isSuccess() && !dropBody && !(request instanceof LastHttpContent)) {
      // Nothing more of this request is read: the answer goes out, then the connection closes.
      ctx.channel().config().setAutoRead(false);
    }
  }

  /**
   * Reserves the body budget this request's body will take; the refusal when the bodies in flight leave no room
   * for it, else null (the connection holds the reservation until the answer).
   */
  private Problem reserve(HttpRequest request, Connection connection) {
    boolean chunkedOrCoded = HttpUtil.isTransferEncodingChunked(request)
        || request.headers().contains(HttpHeaderNames.CONTENT_ENCODING);
    long cost = BodyBudget.cost(HttpUtil.getContentLength(request, 0L), chunkedOrCoded, maxRequestBytes);
    if (!budget.tryReserve(cost)) {
      return ProblemType.OVERLOADED.problem("the server holds " + megabytes(budget.reserved()) + " of request bodies"
          + " in flight, its limit " + megabytes(budget.capacity()) + "; retry shortly");
    }
    connection.holds(cost);
    return null;
  }

  private static String megabytes(long bytes) {
    return (bytes >> 20) + " MiB";
  }

  /** Why a request is refused from its head alone; null when it may go on. */
  private Problem refusal(HttpRequest request) {
    DecoderResult result = request.decoderResult();
    if (result.isFailure()) {
      Throwable cause = result.cause();
      if (cause instanceof TooLongHttpLineException) {
        return ProblemType.URI_TOO_LONG.problem("the request line is longer than the limit of "
            + HttpPipeline.MAX_INITIAL_LINE + " bytes");
      }
      if (cause instanceof TooLongHttpHeaderException) {
        return ProblemType.HEADERS_TOO_LARGE.problem("the request's headers are larger than the limit of "
            + HttpPipeline.MAX_HEADER_BYTES + " bytes");
      }
      return ProblemType.MALFORMED_REQUEST.problem("the request is not valid HTTP/1.1: " + cause.getMessage());
    }
    HttpVersion version = request.protocolVersion();
    if (version.majorVersion() != 1) {
      return ProblemType.HTTP_VERSION_NOT_SUPPORTED.problem(version.text() + " is not served; send HTTP/1.1");
    }
    Problem target = HttpRules.refusal(request);
    if (target != null) {
      return target;
    }
    String coding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    if (!ContentCodings.isSupported(coding)) {
      return ProblemType.UNSUPPORTED_CONTENT_ENCODING.problem("the body's Content-Encoding is '" + coding
          + "'; this server decodes " + ContentCodings.SUPPORTED,
          "supported", ContentCodings.SUPPORTED);
    }
    String expect = request.headers().get(HttpHeaderNames.EXPECT);
    if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.strip())) {
      return ProblemType.EXPECTATION_FAILED.problem("the Expect header '" + expect
          + "' is not supported; only 100-continue is");
    }
    long declared = HttpUtil.getContentLength(request, -1L);
    if (declared > maxRequestBytes) {
      return Refusals.tooLarge(maxRequestBytes, declared + " bytes, more");
    }
    return null;
  }

  /**
   * A refusal is answered by the router, after any request before it on this connection (HTTP/1.1 answers in
   * order).
   */
  private void refuse(ChannelHandlerContext ctx, boolean keepAlive, Responses.Response response) {
    ctx.fireChannelRead(new RequestRouter.Refusal(method, path, startedNanos, keepAlive, response));
  }

  /** A request that did not arrive within the read timeout is answered 408 and its connection closed. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (!(event instanceof ReadDeadline.TimedOut)) {
      super.userEventTriggered(ctx, event);
      return;
    }
    Connection connection = Connection.of(ctx.channel());
    boolean headRead = connection.receiving();
    refusals.timedOut(String.valueOf(ctx.channel().remoteAddress()), "reading " + (headRead ? method + " " + path
        : "a request head") + " after " + readTimeout.toSeconds() + " s");
    ctx.channel().config().setAutoRead(false);
    if (discarding || !headRead && connection.busy()) {
      // already answered, or a request ahead is still served: nothing more is read, nothing is left to answer
      connection.closeAfterResponse();
      if (!connection.busy()) {
        ctx.close();
      }
      return;
    }
    if (!headRead) {
      connection.started();
      connection.holds(0);
      method = "-";
      path = "-";
      startedNanos = System.nanoTime();
    }
    discarding = true;
    refuse(ctx, false, Responses.problem(ProblemType.REQUEST_TIMEOUT.problem("the request was not received in full"
        + " within " + readTimeout.toSeconds() + " s; the connection is closed")));
  }

  /** A closed connection's unanswered requests give back the budget they held. */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    budget.release(Connection.of(ctx.channel()).releaseAll());
    super.channelInactive(ctx);
  }
}
