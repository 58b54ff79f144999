package dev.modelcontract.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.modelcontract.contract.ContractException;
import dev.modelcontract.inference.ContractDryRun;
import dev.modelcontract.inference.ContractModel;
import dev.modelcontract.inference.CpuKernels;
import dev.modelcontract.golden.Check;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.GoldenReplay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SageMaker inference protocol over HTTP: GET /ping and POST /invocations on one port.
 *
 * <p>The port opens first and /ping answers 503 until {@link #loadModel()} has loaded the model and the model
 * has passed its contract self-check. Requests are read on a pool of I/O threads and run the model on
 * {@code workers} inference threads, so /ping stays answerable while the model is busy.
 */
public final class SageMakerServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SageMakerServer.class);

  private final ServerConfig config;
  private final AtomicReference<ContractModel> model = new AtomicReference<>();
  private final HttpServer http;
  private final ExecutorService io;
  private final ExecutorService inference;

  private SageMakerServer(ServerConfig config, HttpServer http, ExecutorService io, ExecutorService inference) {
    this.config = config;
    this.http = http;
    this.io = io;
    this.inference = inference;
  }

  /** Binds the port and starts answering; the model is not loaded yet. */
  public static SageMakerServer start(ServerConfig config) throws IOException {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and the
    // client's delayed ACK add ~40 ms to every response. Read once, when the first server is created.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // A client that stops sending mid-request must not hold an I/O thread forever (seconds).
    System.setProperty("sun.net.httpserver.maxReqTime", "60");
    HttpServer http = HttpServer.create(new InetSocketAddress(config.port()), 128);
    ExecutorService io = Executors.newFixedThreadPool(Math.max(8, 4 * config.workers()), new NamedThreads("http-"));
    ExecutorService inference = Executors.newFixedThreadPool(config.workers(), new NamedThreads("inference-"));
    SageMakerServer server = new SageMakerServer(config, http, io, inference);
    http.createContext("/ping", exact("/ping", new PingHandler(server::isReady)));
    http.createContext("/invocations", exact("/invocations",
        new InvocationsHandler(() -> server.model.get(), config.maxRequestBytes(), inference)));
    http.createContext("/", exchange -> notFound(exchange));
    http.setExecutor(io);
    http.start();
    LOG.info("listening on port {} ({} workers, bodies up to {} bytes)", server.port(), config.workers(),
        config.maxRequestBytes());
    return server;
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
    long started = System.nanoTime();
    LOG.info("{}", CpuKernels.apply().describe());
    List<GoldenCase> golden = GoldenCase.loadAll(config.goldenDirectory());
    ContractModel loaded = ContractModel.load(config.modelDirectory());
    ContractDryRun.Result check = ContractDryRun.run(loaded);
    if (!check.passed()) {
      loaded.close();
      throw new ContractException(loaded.contract().source().file(), check.problems());
    }
    replayGoldenPairs(loaded, golden);
    model.set(loaded);
    LOG.info("model ready in {} ms: inputs {}, outputs {}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        loaded.contract().inputNames(), loaded.contract().outputNames());
  }

  private void replayGoldenPairs(ContractModel loaded, List<GoldenCase> golden) throws GoldenPairsDiffer {
    if (golden.isEmpty()) {
      LOG.warn("no golden pairs in {}: nothing checks this model's numbers on this CPU", config.goldenDirectory());
      return;
    }
    List<Check> checks = GoldenReplay.replay(loaded, golden, config.goldenTolerance());
    List<Check> failures = checks.stream().filter(pair -> !pair.passed()).toList();
    if (!failures.isEmpty()) {
      loaded.close();
      failures.forEach(failure -> LOG.error("golden pair differs on this CPU: {}: {}", failure.name(),
          failure.detail()));
      throw new GoldenPairsDiffer(Check.report("Golden pairs replayed at start on this CPU ("
          + CpuKernels.apply().describe() + "); refusing to serve numbers that differ from them", checks), failures);
    }
    LOG.info("golden pairs: {} reproduced within {} on this CPU", Check.summary(checks), config.goldenTolerance());
  }

  public boolean isReady() {
    return model.get() != null;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    io.shutdownNow();
    inference.shutdownNow();
    ContractModel loaded = model.getAndSet(null);
    if (loaded != null) {
      loaded.close();
    }
  }

  /** The JDK server matches contexts by prefix; the protocol's paths are exact. */
  private static HttpHandler exact(String path, HttpHandler handler) {
    return exchange -> {
      if (path.equals(exchange.getRequestURI().getPath())) {
        handler.handle(exchange);
      } else {
        notFound(exchange);
      }
    };
  }

  private static void notFound(HttpExchange exchange) throws IOException {
    try (exchange) {
      Responses.send(exchange, Responses.problem(new Problem(404, "not-found", "Not found",
          exchange.getRequestURI().getPath() + " is not served; this server answers GET /ping and POST /invocations")));
    }
  }

  private static final class NamedThreads implements java.util.concurrent.ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    NamedThreads(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
