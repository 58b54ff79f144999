package dev.modelcontract.server;

import dev.modelcontract.hosting.SageMakerHosting;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects a large body of a declared length straight into one heap array, releasing each chunk as it is copied, so
 * that the body is held once: Netty's aggregation would hold it as received (direct buffers, consolidated more than
 * once past 1,024 chunks) until the request is answered, beside the heap copy every decoder reads. An asynchronous
 * inference body of 1 GB thus takes 1 GB of heap, not 2 GB and more. A chunked body (no declared length) is
 * collected on the heap too, in pieces copied into one array at its end (twice its size for that moment): in direct
 * buffers, a chunked body larger than they are was lost, its connection closed without an answer. Bodies of a
 * declared length up to {@link #FROM_BYTES} go on to {@link BodyAggregator}: for them, Netty's pooled buffers are the
 * faster path and keep the heap calm.
 *
 * <p>Runs after {@link RequestGuard}, which has already refused a declared length over the limit and reserved the
 * body's budget, so an admitted declared length is what the array may take.
 */
final class LargeBodyCollector extends ChannelInboundHandlerAdapter {

  /**
   * Bodies of a declared length above InvokeEndpoint's limit (only a batch transform or asynchronous endpoint sends
   * them) are collected here. Real-time bodies stay in Netty's pooled direct buffers until they are decoded: collected
   * on the heap as they arrive, 64 connections streaming 6 MB bodies kept ~66 MB of arrays live on the heap for as long
   * as the uploads took, and the collections they caused held /ping for up to 149 ms in HostileLoadIT (under 60 ms
   * before).
   */
  static final long FROM_BYTES = SageMakerHosting.MAX_BODY_BYTES + 1L;

  private HttpRequest head;
  /** A declared length's array, filled as chunks come; null for a chunked body. */
  private byte[] body;
  private int filled;
  /** A chunked body's pieces so far. */
  private final List<byte[]> pieces = new ArrayList<>();
  private final long maxRequestBytes;
  /** Whether the rest of a refused body is dropped as it comes, and how much of it was. */
  private boolean discarding;
  private long discarded;

  /** The most a chunked body may hold: it takes twice its size for a moment, when its pieces are joined. */
  private final long maxChunkedBytes;

  /**
   * @param maxRequestBytes the body limit
   * @param maxHeapBytes the heap's size: a chunked body is held to a quarter of it, so that joining its pieces (twice
   *     its size) and the arrays it decodes into fit, where the JVM would otherwise exit out of memory
   */
  LargeBodyCollector(long maxRequestBytes, long maxHeapBytes) {
    this.maxRequestBytes = maxRequestBytes;
    this.maxChunkedBytes = Math.min(maxRequestBytes, maxHeapBytes / 4);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (discarding && message instanceof HttpContent content) {
      discarding = !(content instanceof LastHttpContent);
      discarded += content.content().readableBytes();
      ReferenceCountUtil.release(content);
      if (discarding && discarded > RequestGuard.DISCARD_FACTOR * maxRequestBytes) {
        ctx.close(); // more than a refused body is worth reading: the answer is out, the connection ends
      }
      return;
    }
    if (head == null) {
      if (message instanceof HttpRequest request && !(message instanceof FullHttpRequest) && collects(request)) {
        head = request;
        body = HttpUtil.isTransferEncodingChunked(request) ? null
            : new byte[(int) HttpUtil.getContentLength(request)];
        filled = 0;
        return;
      }
      ctx.fireChannelRead(message);
      return;
    }
    if (!(message instanceof HttpContent content)) {
      ctx.fireChannelRead(message);
      return;
    }
    try {
      DecoderResult result = content.decoderResult();
      ByteBuf bytes = content.content();
      int length = bytes.readableBytes();
      if (body == null && length > maxChunkedBytes - filled) {
        tooLarge(ctx, content);
        return;
      } else if (body == null) {
        byte[] piece = new byte[length];
        bytes.readBytes(piece);
        pieces.add(piece);
        filled = Math.addExact(filled, length);
      } else if (result.isSuccess() && length > body.length - filled) {
        result = DecoderResult.failure(new IllegalStateException("more body than the declared "
            + body.length + " bytes"));
      } else {
        bytes.readBytes(body, filled, length);
        filled += length;
      }
      if (!result.isSuccess() || content instanceof LastHttpContent) {
        ctx.fireChannelRead(complete(content, result));
      }
    } finally {
      ReferenceCountUtil.release(content);
    }
  }

  /**
   * The whole request: the head, the collected array as its content, and the trailers; a failed chunk (a body
   * broken off or malformed) fails the request, which the router refuses.
   */
  private FullHttpRequest complete(HttpContent last, DecoderResult result) {
    if (body == null) {
      body = joined();
    }
    FullHttpRequest full = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
        Unpooled.wrappedBuffer(body, 0, filled), head.headers(),
        last instanceof LastHttpContent trailing ? trailing.trailingHeaders().copy()
            : LastHttpContent.EMPTY_LAST_CONTENT.trailingHeaders());
    full.setDecoderResult(result.isSuccess() && filled < body.length
        ? DecoderResult.failure(new IllegalStateException("the body ended after " + filled + " of its declared "
            + body.length + " bytes"))
        : result);
    head = null;
    body = null;
    return full;
  }

  /**
   * A chunked body past its limit: answered 413, its pieces let go and the rest of it read and dropped.
   */
  private void tooLarge(ChannelHandlerContext ctx, HttpContent content) {
    Problem problem = maxChunkedBytes == maxRequestBytes ? Refusals.tooLarge(maxRequestBytes, "more bytes")
        : ProblemType.PAYLOAD_TOO_LARGE.problem("the chunked body has more than " + maxChunkedBytes + " bytes, the"
            + " most this server's heap takes of a body of unknown length; send it with its Content-Length (up to "
            + maxRequestBytes + " bytes) or split the batch", "limit", Long.toString(maxChunkedBytes));
    // The rest of the body is read and dropped (up to a few limits' worth), as RequestGuard drops a refused body, so
    // that the caller, still sending it, reads the answer instead of a reset.
    ctx.fireChannelRead(new RequestRouter.Refusal(head.method().name(), Routes.pathOf(head.uri()), System.nanoTime(),
        HttpUtil.isKeepAlive(head), Responses.problem(problem)));
    pieces.clear();
    head = null;
    discarding = !(content instanceof LastHttpContent);
    discarded = 0;
  }

  /** A chunked body's pieces in one array, the pieces let go once copied. */
  private byte[] joined() {
    byte[] whole = new byte[filled];
    int at = 0;
    for (byte[] piece : pieces) {
      System.arraycopy(piece, 0, whole, at, piece.length);
      at += piece.length;
    }
    pieces.clear();
    return whole;
  }

  /**
   * Chunked bodies (their size unknown until they end; {@link BodyAggregator} holds them to the limit) and bodies
   * declared of {@link #FROM_BYTES} or more.
   */
  private static boolean collects(HttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      return false;
    }
    if (HttpUtil.isTransferEncodingChunked(request)) {
      return true;
    }
    long declared = HttpUtil.getContentLength(request, 0L);
    return declared >= FROM_BYTES && declared <= Integer.MAX_VALUE - 8;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    body = null; // a body cut off by the connection closing: nothing to answer, nothing kept
    pieces.clear();
    head = null;
    super.channelInactive(ctx);
  }
}
