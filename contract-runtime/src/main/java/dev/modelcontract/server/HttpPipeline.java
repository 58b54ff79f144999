package dev.modelcontract.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.function.Supplier;

/** The handlers of every connection, from bytes to answered requests. */
final class HttpPipeline extends ChannelInitializer<SocketChannel> {

  /** The longest request line (method, URL, version) read; longer is answered 414. */
  static final int MAX_INITIAL_LINE = 8 * 1024;
  /** The most header bytes read; more is answered 431. */
  static final int MAX_HEADER_BYTES = 16 * 1024;

  private final ServerConfig config;
  private final ChannelGroup connections;
  private final ResponseWriter writer;
  private final RefusalLog refusals;
  private final Supplier<RequestRouter> router;
  private final BodyBudget budget;

  HttpPipeline(ServerConfig config, ChannelGroup connections, ResponseWriter writer, RefusalLog refusals,
      BodyBudget budget, Supplier<RequestRouter> router) {
    this.budget = budget;
    this.config = config;
    this.connections = connections;
    this.writer = writer;
    this.refusals = refusals;
    this.router = router;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    connections.add(channel);
    channel.pipeline()
        .addLast("deadline", new ReadDeadline(config.readTimeout()))
        .addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_INITIAL_LINE)
            .setMaxHeaderSize(MAX_HEADER_BYTES)
            .setMaxChunkSize(64 * 1024)))
        .addLast("guard", new RequestGuard(config.maxRequestBytes(), config.readTimeout(), writer, refusals, budget))
        .addLast("large-body", new LargeBodyCollector(config.maxRequestBytes(), Runtime.getRuntime().maxMemory()))
        .addLast("body", new BodyAggregator(config.maxRequestBytes()))
        .addLast("router", router.get());
  }
}
