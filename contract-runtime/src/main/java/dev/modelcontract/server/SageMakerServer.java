package dev.modelcontract.server;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractProblem;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.enforcement.FeatureSkew;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.hosting.ImageCommand;
import dev.modelcontract.hosting.SageMakerHosting;
import dev.modelcontract.inference.CpuKernels;
import dev.modelcontract.inference.TorchScriptModel;
import dev.modelcontract.stub.StubAnswers;
import dev.modelcontract.validation.Check;
import dev.modelcontract.validation.StartupCheck;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SageMaker inference protocol over HTTP: GET /ping, POST /invocations and GET /metrics on one port, and the Open
 * Inference Protocol's routes under /v2 (KServe's) on the same port.
 *
 * <p>Started as a multi-model endpoint ({@link #startMultiModel}), it serves SageMaker's /models routes instead of
 * /invocations ({@link ModelsHandler}), and the /v2 model routes of every loaded model, each model through an
 * {@link InvocationsHandler} of its own.
 *
 * <p>The port opens first and /ping answers 503 until {@link #loadModel()} has loaded the model and the model
 * has passed its contract self-check and golden pairs. Connections are read and written by a few event-loop
 * threads that never wait: a stalled client costs a connection, not a thread. The model runs on {@code workers}
 * inference threads ({@link InferenceQueue}). {@link #drain(Duration)} stops the server the way SageMaker stops a
 * container: nothing read is dropped.
 */
public final class SageMakerServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SageMakerServer.class);

  /** Checked requests that may wait for an inference thread before more are answered 503. */
  static final int QUEUE_CAPACITY = 256;
  /** During a drain, an idle keep-alive connection is closed once it has been idle this long. */
  private static final long DRAIN_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final ServerConfig config;
  private final AtomicReference<ContractModel> model = new AtomicReference<>();
  private final AtomicReference<InferenceQueue> queue = new AtomicReference<>();
  private final EventLoopGroup loops;
  private final ChannelGroup connections;
  private final ServerMetrics metrics;
  private final DecodePool decoders = new DecodePool(Runtime.getRuntime().availableProcessors());
  /** A multi-model endpoint's models; null where the server serves one model. */
  private final ModelsHandler models;
  private volatile Channel listener;
  private volatile boolean draining;
  /** Set by {@link #drain} before it waits for {@link #lifecycle}: a hand-over in progress gives way to it. */
  private volatile boolean stopRequested;
  private volatile boolean handingOver;
  /** Held by a drain and by a hand-over: a process either stops or passes its port on, not both at once. */
  private final Object lifecycle = new Object();
  /**
   * Whether the listening socket was taken over from a process that handed it on: it accepts only once the model
   * serves, with clients waiting in its backlog, and is shut down, never closed.
   */
  private volatile boolean takenOver;
  /** Whether a socket taken over still listens. */
  private final AtomicBoolean listening = new AtomicBoolean(true);

  private SageMakerServer(ServerConfig config, ModelBudget modelBudget) {
    this.config = config;
    // Not daemons: once main() has loaded the model, these threads are what keeps the process serving.
    this.loops = new MultiThreadIoEventLoopGroup(config.effectiveIoThreads(),
        new DefaultThreadFactory("http", false), NioIoHandler.newFactory());
    this.connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    this.metrics = new ServerMetrics(this::queueDepth,
        () -> (int) connections.stream().filter(channel -> Connection.of(channel).busy()).count(), this::skew);
    this.models = modelBudget == null ? null : new ModelsHandler(config, modelBudget, decoders, metrics);
  }

  /** The served models' observed skew, by name: the one model once loaded, or a multi-model endpoint's. */
  private Map<String, List<FeatureSkew>> skew() {
    if (models != null) {
      return models.skew();
    }
    ContractModel loaded = model.get();
    return loaded == null ? Map.of()
        : Map.of(config.modelName().orElseGet(loaded.contract()::defaultName), loaded.skew());
  }

  private int queueDepth() {
    InferenceQueue inference = queue.get();
    ModelsHandler loaded = models;
    return (inference == null ? 0 : inference.depth()) + (loaded == null ? 0 : loaded.depth());
  }

  /** Binds the port on every interface, as a container must, and starts answering; the model is not loaded yet. */
  public static SageMakerServer start(ServerConfig config) throws IOException {
    return start(config, null);
  }

  /**
   * Binds the port on one address (null: every interface) and starts answering; the model is not loaded yet.
   */
  public static SageMakerServer start(ServerConfig config, InetAddress address) throws IOException {
    return start(config, address, null, null);
  }

  /**
   * Serves on a listening socket taken over from a process that handed it on ({@link #handOver}): connections wait in
   * its backlog, not accepted, until the model serves.
   */
  static SageMakerServer takeOver(ServerConfig config, ServerSocketChannel listening) throws IOException {
    return start(config, null, null, listening);
  }

  /**
   * Binds the port on one address (null: every interface) as a SageMaker multi-model endpoint: no model is loaded,
   * /ping answers 200 at once, and models are loaded, served and unloaded through the /models routes.
   *
   * @param modelBudget the native memory the loaded models may take together
   */
  public static SageMakerServer startMultiModel(ServerConfig config, InetAddress address, ModelBudget modelBudget)
      throws IOException {
    SageMakerServer server = start(config, address, modelBudget, null);
    LOG.info("multi-model endpoint: models loaded by POST /models, up to {} MiB of them",
        modelBudget.capacity() >> 20);
    // /ping answers 200 at once; the engine starts meanwhile, and a load that comes first waits for it in DJL.
    Thread engine = new Thread(() -> {
      long started = System.nanoTime();
      try {
        TorchScriptModel.startEngine();
        LOG.info("PyTorch engine started in {} ms, ahead of the first load; {}",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), CpuKernels.apply().describe());
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("the PyTorch engine did not start ({}): each load will say why", e.toString());
      }
    }, "engine-start");
    engine.setDaemon(true);
    engine.start();
    return server;
  }

  private static SageMakerServer start(ServerConfig config, InetAddress address, ModelBudget modelBudget,
      ServerSocketChannel listening) throws IOException {
    SageMakerServer server = new SageMakerServer(config, modelBudget);
    RefusalLog refusals = new RefusalLog(20);
    BodyBudget budget = new BodyBudget(config.effectiveInFlightBodyBytes());
    ResponseWriter writer = new ResponseWriter(server.metrics, refusals, server::closesConnections, budget);
    InvocationsHandler invocations = new InvocationsHandler(server.model::get, server.queue::get,
        config.maxRequestBytes(), config.batchTransform().multiRecord(), server.decoders, config.modelName());
    ServedModels served = server.models != null ? server.models.models()
        : new SingleModel(invocations, server.model::get, config.modelName());
    OpenInferenceHandler openInference = new OpenInferenceHandler(served, server::health, version());
    byte[] executionParameters = ExecutionParameters.of(config, budget.capacity()).toJson();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(server.loops)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // A client's half-close reaches RequestRouter, which answers what was sent before closing.
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        // One read of at most 64 KiB per connection and turn of the event loop: connections streaming large bodies
        // take turns with the rest, so a health check waits for a few reads, not for whole bodies.
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(1))
        .childHandler(new HttpPipeline(config, server.connections, writer, refusals, budget,
            () -> new RequestRouter(invocations, openInference, server.models, server::health, server.metrics::scrape,
                executionParameters, writer)));
    try {
      if (listening != null) {
        server.takenOver = true;
        server.listener = bootstrap.channelFactory(() -> new NioServerSocketChannel(listening))
            .option(ChannelOption.AUTO_READ, false).register().sync().channel();
      } else {
        bootstrap.channel(NioServerSocketChannel.class);
        server.listener = (address == null ? bootstrap.bind(config.port())
            : bootstrap.bind(address, config.port())).sync().channel();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
      throw new IOException("interrupted while binding port " + config.port(), e);
    } catch (RuntimeException e) {
      server.close();
      throw new IOException(e.getMessage(), e);
    }
    LOG.info("{} port {} ({} I/O threads, {} workers, bodies up to {} bytes)", listening != null
        ? "took over the listening socket of" : "listening on", server.port(), config.effectiveIoThreads(),
        config.workers(), config.maxRequestBytes());
    LOG.info("memory: heap up to {} MiB, direct buffers up to {} MiB, request bodies in flight up to {} MiB{}",
        Runtime.getRuntime().maxMemory() >> 20, PlatformDependent.maxDirectMemory() >> 20,
        config.effectiveInFlightBodyBytes() >> 20, sizedFor());
    long heap = Runtime.getRuntime().maxMemory();
    if (3 * config.maxRequestBytes() > heap) {
      // a body is held once on the heap beside the arrays it decodes into (LargeBodyCollector)
      LOG.warn("bodies up to {} MiB take up to three times that of heap while they are served, more than the heap's"
          + " {} MiB: give the container more memory (docs/configuration.md#large-bodies-batch-transform-and-"
          + "asynchronous-inference) or lower the body limit; chunked bodies are refused past {} MiB",
          config.maxRequestBytes() >> 20, heap >> 20, Math.min(config.maxRequestBytes(), heap / 4) >> 20);
    }
    BatchTransform job = config.batchTransform();
    if (job.job() || job.strategy() != null) {
      LOG.info("batch transform: {}", job.multiRecord() ? "MULTI_RECORD, each line of a JSON Lines or CSV body a"
          + " record, answered with a line of its own, in order" : "SINGLE_RECORD, one record per body");
    }
    return server;
  }

  /** The runtime's version, from its jar's manifest; {@code dev} where it runs from classes (in this build's tests). */
  static String version() {
    String version = SageMakerServer.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /** Where the image's entrypoint said the memory the JVM was sized for came from; empty outside an image. */
  private static String sizedFor() {
    String memory = System.getProperty(SageMakerHosting.MEMORY_PROPERTY);
    return memory == null ? "" : " (sized for " + memory + ")";
  }

  /**
   * Loads the contract and model from the model directory, runs the contract self-check (which also warms the
   * model up), and replays the golden pairs on this host's CPU. /ping answers 200 afterwards.
   *
   * @throws ContractException when the contract is invalid, the model cannot be loaded, or they disagree
   * @throws GoldenPairsDiffer when the model's numbers on this CPU differ from its golden pairs
   * @throws IOException when the golden pairs cannot be read
   */
  public void loadModel() throws ContractException, GoldenPairsDiffer, IOException {
    LOG.info("{}", CpuKernels.apply().describe());
    ContractModel loaded = ModelLoader.load(config.modelDirectory(), config.goldenDirectory(), config.goldenTolerance(),
        "an image built without its model serves the model directory mounted there; SageMaker extracts the"
        + " model.tar.gz of the Model's ModelDataUrl into it (the build writes target/model-contract/model.tar.gz);"
        + " elsewhere mount one, e.g. docker run -v \"$PWD/model:" + SageMakerHosting.MODEL_DIRECTORY + ":ro\" IMAGE "
        + ImageCommand.SERVE);
    settleHeap();
    serveReady(loaded);
  }

  /**
   * Moves what the start left alive on the heap — the model, the contract, the engine's and the server's own objects,
   * 5–6 MB for the examples — to the old generation before the first request, with one full collection. Left in the
   * young generation, it is copied again by each young collection until it is old enough to be promoted (15 times):
   * under load on a 2-core VM those pauses took 10–15 ms each, against 1.3–2.9 ms once it was gone
   * (docs/benchmarks.md, the latency tail).
   */
  private static void settleHeap() {
    long started = System.nanoTime();
    System.gc();
    LOG.info("heap settled before serving: one full collection in {} ms",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /**
   * Serves the model directory's contract without its model, as a stub image's {@code stub} command does: requests
   * checked as {@link #loadModel} serves them, valid ones answered by {@link StubAnswers} with the golden pairs.
   *
   * @throws ContractException when the contract is invalid
   * @throws IOException when the golden pairs cannot be read
   */
  public void loadStub() throws ContractException, IOException {
    serve(StubAnswers.serving(new ContractReader().read(config.modelDirectory().resolve(ContractReader.FILE_NAME)),
        GoldenCase.loadAll(config.goldenDirectory())));
  }

  /**
   * Serves a contract model as it is: no self-check, no golden pairs replayed. For a model served without its
   * TorchScript file ({@link ContractModel#withoutModel}), such as a consumer stub; /ping answers 200 afterwards.
   */
  public void serve(ContractModel served) {
    serveReady(served);
    LOG.info("serving {} without its model (a stub: no forward pass, no golden replay): inputs {}, outputs {}",
        served.contract().source().file(),
        served.contract().inputNames(), served.contract().outputNames());
  }

  private void serveReady(ContractModel loaded) {
    queue.set(new InferenceQueue(loaded, config.workers(), config.batching(), QUEUE_CAPACITY, metrics));
    model.set(loaded);
    if (takenOver) {
      listener.config().setAutoRead(true);
    }
  }

  /** The model being served, once loaded. */
  Optional<ContractModel> model() {
    return Optional.ofNullable(model.get());
  }

  public boolean isReady() {
    return model.get() != null;
  }

  /** What GET /ping and GET /v2/health/ready say. */
  Health health() {
    return draining ? Health.DRAINING : isReady() || models != null ? Health.READY : Health.LOADING;
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  public boolean isDraining() {
    return draining;
  }

  /** Whether answers close their connections: while draining, and while handing the port over. */
  boolean closesConnections() {
    return draining || handingOver;
  }

  /**
   * Hands the listening socket on without refusing a connection or dropping a request: stops accepting (connections
   * wait in the socket's backlog), answers every request already read (with {@code Connection: close}), closes idle
   * keep-alive connections as {@link #drain} does, then gives the socket's file descriptor to {@code successor},
   * which replaces this process ({@link KernelSwitch}) and returns only where that failed. /ping answers 200
   * throughout. Where the server begins to stop meanwhile, requests are still in progress after {@code timeout}, or
   * the successor fails, the server accepts again and goes on serving.
   *
   * @return why the port was not handed over
   */
  String handOver(Duration timeout, IntFunction<String> successor) {
    synchronized (lifecycle) {
      if (stopRequested || draining) {
        return "the server is stopping";
      }
      Channel port = listener;
      handingOver = true;
      try {
        port.config().setAutoRead(false);
        // the accept interest is dropped on the port's own thread: once a task queued behind it has run, nothing more
        // is accepted here
        port.eventLoop().submit(() -> { }).awaitUninterruptibly();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline && !stopRequested) {
          closeIdleConnections();
          sleep(5);
        }
        if (stopRequested) {
          return "the server began to stop";
        }
        if (!connections.isEmpty()) {
          return connections.size() + " connections were still busy after " + timeout.toSeconds() + " s";
        }
        String failure;
        try {
          failure = successor.apply(KernelSwitch.listeningDescriptor(port()));
        } catch (IOException e) {
          failure = e.getMessage();
        }
        return failure;
      } finally {
        handingOver = false;
        port.config().setAutoRead(true);
      }
    }
  }

  /** Closes every connection idle for a while, judged on its own thread so that no request starts meanwhile. */
  private void closeIdleConnections() {
    for (Channel channel : connections) {
      channel.eventLoop().execute(() -> {
        if (Connection.of(channel).idleFor(DRAIN_IDLE_NANOS)) {
          channel.close();
        }
      });
    }
  }

  /**
   * Stops the way SageMaker stops a container (SIGTERM, then SIGKILL 30 s later): /ping turns 503, the port
   * closes so new connections are refused, every request already started is read, run and answered (with
   * {@code Connection: close}), idle keep-alive connections close, then the server stops. Requests still in
   * progress after {@code timeout} are cut.
   *
   * @return whether every request in progress was answered
   */
  public boolean drain(Duration timeout) {
    stopRequested = true;
    synchronized (lifecycle) {
      return drainNow(timeout);
    }
  }

  private boolean drainNow(Duration timeout) {
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    // The port closes before answers start saying Connection: close, so clients that reconnect are refused
    // rather than caught in the backlog of a port about to close.
    Channel port = listener;
    if (port != null) {
      int number = port();
      closePort(port);
      waitUntilRefused(number);
    }
    draining = true;
    LOG.info("draining: /ping answers 503, new connections are refused, {} open connections finish what they"
        + " started (up to {} s)", connections.size(), timeout.toSeconds());
    while (!connections.isEmpty() && System.nanoTime() < deadline) {
      closeIdleConnections();
      sleep(20);
    }
    long cut = connections.stream().filter(channel -> Connection.of(channel).busy()).count();
    if (cut > 0) {
      LOG.warn("drain timed out after {} s: {} requests in progress are cut", timeout.toSeconds(), cut);
    } else {
      LOG.info("drained in {} ms: every request read was answered",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
    close();
    return cut == 0;
  }

  @Override
  public void close() {
    Channel port = listener;
    if (port != null) {
      closePort(port);
    }
    connections.close().awaitUninterruptibly();
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    decoders.close();
    if (models != null) {
      models.close();
    }
    InferenceQueue inference = queue.getAndSet(null);
    boolean stopped = inference == null || inference.stop();
    ContractModel loaded = model.getAndSet(null);
    if (loaded != null && stopped) {
      loaded.close();
    } else if (loaded != null) {
      LOG.warn("a forward pass is still running: the model is left to the process's exit, not closed under it");
    }
  }

  /**
   * Stops listening: closes the port, or, where it was taken over, shuts it down ({@link KernelSwitch#stopListening}).
   */
  private void closePort(Channel port) {
    if (!takenOver) {
      port.close().awaitUninterruptibly();
      return;
    }
    if (!port.isOpen() || !listening.compareAndSet(true, false)) {
      return;
    }
    port.config().setAutoRead(false);
    try {
      KernelSwitch.stopListening(port());
    } catch (IOException e) {
      LOG.warn("the listening socket could not be shut down ({}): new connections wait until the process exits",
          e.getMessage());
    }
  }

  /**
   * Java closes a listening socket that is registered with a selector only at that selector's next select, which a
   * busy event loop may reach milliseconds later; until then the kernel still completes connections into a backlog
   * nobody accepts, and resets them at the close. Waiting until a connection is refused closes that window.
   */
  private static void waitUntilRefused(int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
      } catch (IOException refused) {
        return;
      }
      sleep(1);
    }
    LOG.warn("port {} still accepted connections 1 s after it was closed", port);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
