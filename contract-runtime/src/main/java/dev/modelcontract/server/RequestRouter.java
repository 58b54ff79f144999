package dev.modelcontract.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers complete requests on one connection, one at a time and in order. Requests a client pipelined wait here for
 * their turn, and once one waits the connection reads nothing more until it is answered; a client that does not
 * pipeline (SageMaker's front end, every usual client) sends nothing while it waits, so its connection's reads stay
 * on (turning them off and on for each request cost two {@code epoll_ctl} calls a request). A client that shuts its
 * sending side (a half-close) gets what it sent answered, then the close.
 */
final class RequestRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);

  private final InvocationsHandler invocations;
  private final OpenInferenceHandler openInference;
  /** A multi-model endpoint's /models routes; null in a single-model server. */
  private final ModelsHandler models;
  private final Supplier<Health> health;
  private final Supplier<byte[]> metrics;
  private final byte[] executionParameters;
  private final ResponseWriter writer;
  /** Complete requests and refusals a client pipelined behind the one being served, in order. */
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();
  private boolean serving;

  /** A request refused before its body was read ({@link RequestGuard}), to be answered in its turn. */
  record Refusal(String method, String path, long startedNanos, boolean keepAlive, Responses.Response response) {}

  RequestRouter(InvocationsHandler invocations, OpenInferenceHandler openInference, ModelsHandler models,
      Supplier<Health> health, Supplier<byte[]> metrics, byte[] executionParameters, ResponseWriter writer) {
    this.models = models;
    this.executionParameters = executionParameters;
    this.invocations = invocations;
    this.openInference = openInference;
    this.health = health;
    this.metrics = metrics;
    this.writer = writer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
    if (!(message instanceof Refusal refusal)) {
      super.channelRead(ctx, message);
    } else if (serving) {
      holdBack(ctx, refusal);
    } else {
      answer(ctx, refusal);
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (serving) {
      holdBack(ctx, request.retain());
      return;
    }
    serve(ctx, request);
  }

  /** A request (or refusal) pipelined behind the one being served: it waits, and nothing more is read meanwhile. */
  private void holdBack(ChannelHandlerContext ctx, Object pipelined) {
    waiting.add(pipelined);
    ctx.channel().config().setAutoRead(false);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof ChannelInputShutdownEvent && !serving) {
      ctx.close();
    }
    super.userEventTriggered(ctx, event);
  }

  private void answer(ChannelHandlerContext ctx, Refusal refusal) {
    serving = true;
    writer.write(ctx, refusal.method(), refusal.path(), refusal.startedNanos(), refusal.keepAlive(),
        inProtocolOf(refusal.path(), refusal.response()), () -> next(ctx));
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
    serving = true;
    long started = System.nanoTime();
    String method = request.method().name();
    String path = Routes.pathOf(request.uri());
    // A body that broke off mid-way (a bad chunk, the connection closing early) is refused, and the connection
    // with it: the decoder has stopped reading it.
    boolean complete = request.decoderResult().isSuccess();
    boolean keepAlive = complete && HttpUtil.isKeepAlive(request);
    CompletableFuture<Responses.Response> answer;
    try {
      answer = complete ? route(method, path, request) : CompletableFuture.completedFuture(Responses.problem(
          ProblemType.MALFORMED_REQUEST.problem("the request's body is not valid"
              + " HTTP/1.1: " + request.decoderResult().cause().getMessage())));
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((response, failure) -> {
      Runnable write = () -> writer.write(ctx, method, path, started, keepAlive,
          inProtocolOf(path, failure == null ? response : internalError(path, failure)), () -> next(ctx));
      if (ctx.executor().inEventLoop()) {
        write.run();
      } else {
        ctx.executor().execute(write);
      }
    });
  }

  private void next(ChannelHandlerContext ctx) {
    serving = false;
    Object queued = waiting.poll();
    if (queued == null && clientDone(ctx)) {
      ctx.close();
    } else if (queued == null) {
      ctx.channel().config().setAutoRead(true);
    } else if (queued instanceof Refusal refusal) {
      answer(ctx, refusal);
    } else {
      FullHttpRequest request = (FullHttpRequest) queued;
      try {
        serve(ctx, request);
      } finally {
        request.release();
      }
    }
  }

  /** Whether the client has shut its sending side: the connection closes once nothing is left to answer. */
  private static boolean clientDone(ChannelHandlerContext ctx) {
    return ctx.channel() instanceof DuplexChannel duplex && duplex.isInputShutdown();
  }

  private CompletableFuture<Responses.Response> route(String method, String path, FullHttpRequest request) {
    return switch (path) {
      case Routes.INVOCATIONS -> models != null ? CompletableFuture.completedFuture(Responses.problem(
          ProblemType.NOT_FOUND.problem("a multi-model endpoint serves no model on " + path + "; invoke one with POST"
          + " /models/NAME/invoke"))) : withCustomAttributes(request.headers().get(Routes.CUSTOM_ATTRIBUTES),
          invocations.serve(request, path));
      case Routes.EXECUTION_PARAMETERS -> CompletableFuture.completedFuture(readable(method)
          ? new Responses.Response(200, MediaTypes.JSON, executionParameters) : notAllowed(method, path));
      case Routes.PING -> CompletableFuture.completedFuture(readable(method) ? health.get().response() : notAllowed(method, path));
      case Routes.METRICS -> CompletableFuture.completedFuture(readable(method)
          ? new Responses.Response(200, ServerMetrics.CONTENT_TYPE, metrics.get()) : notAllowed(method, path));
      default -> OpenInferenceRoute.claims(path) ? openInference.serve(request, method, path)
          : models != null && ModelsHandler.claims(path) ? models.serve(request, method, path)
          : CompletableFuture.completedFuture(Responses.problem(ProblemType.NOT_FOUND.problem(path
          + " is not served; this server answers GET /ping, " + (models != null ? "the /models routes"
          : "POST /invocations") + ", GET /execution-parameters, GET /metrics and the Open Inference Protocol's"
          + " routes under /v2")));
    };
  }

  /** Every answer under /v2, refusals before the body was read included, in the Open Inference Protocol's form. */
  private static Responses.Response inProtocolOf(String path, Responses.Response response) {
    return OpenInferenceRoute.claims(path) ? Responses.openInference(response) : response;
  }

  /** The caller's custom attributes go back with the answer, as SageMaker expects of a container. */
  static CompletableFuture<Responses.Response> withCustomAttributes(String attributes,
      CompletableFuture<Responses.Response> answer) {
    return attributes == null ? answer : answer.thenApply(response -> response.withHeader(Routes.CUSTOM_ATTRIBUTES,
        attributes));
  }

  private static boolean readable(String method) {
    return "GET".equals(method) || "HEAD".equals(method);
  }

  private static Responses.Response notAllowed(String method, String path) {
    return Refusals.notAllowed(method, path, "GET", "GET, HEAD").response();
  }

  private static Responses.Response internalError(String path, Throwable failure) {
    LOG.error("unexpected failure serving {}", path, failure);
    return Responses.problem(ProblemType.INTERNAL_ERROR.problem("the server failed unexpectedly; the request was not"
        + " served, the server keeps serving"));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    waiting.forEach(ReferenceCountUtil::release);
    waiting.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      // not the network's doing (e.g. Netty's direct memory exhausted): the request, if any, is lost, and says so
      LOG.warn("connection from {} closed without an answer: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }
}
