package dev.modelcontract.server;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.validation.GoldenReplay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How the server runs, read from the environment SageMaker gives the container.
 *
 * @param port the HTTP port: {@code SAGEMAKER_BIND_TO_PORT}, else 8080
 * @param modelDirectory the model and its contract: {@code MODEL_CONTRACT_MODEL_DIR}, else /opt/ml/model
 * @param maxRequestBytes the largest accepted body: {@code MODEL_CONTRACT_MAX_REQUEST_BYTES}, else SageMaker's
 *     6 MB real-time payload limit
 * @param workers inference threads, each running one forward pass at a time (of one request or a batch):
 *     {@code SAGEMAKER_MODEL_SERVER_WORKERS}, else half the processors (at least 1), leaving the rest to the I/O
 *     threads that read, decode and write (as many as the processors left, at least one); measured best with
 *     batching on 2 cores ({@code bench/batching.sh})
 * @param goldenDirectory golden pairs replayed at start before /ping answers 200: {@code MODEL_CONTRACT_GOLDEN_DIR},
 *     else {@code golden} in the model directory
 * @param goldenTolerance the allowed difference per value, relative to {@code 1 + |expected|}:
 *     {@code MODEL_CONTRACT_GOLDEN_TOLERANCE} (the image sets the build's), else {@link GoldenReplay#DEFAULT_TOLERANCE}
 * @param batching how requests share forward passes: {@code MODEL_CONTRACT_BATCH_MAX_ROWS} (1 turns batching off;
 *     else the contract's batch maximum), {@code MODEL_CONTRACT_BATCH_DELAY_MICROS} and
 *     {@code MODEL_CONTRACT_SPIN_MICROS}
 * @param readTimeout how long a client may pause while sending a request before it is answered 408 (and how long
 *     an idle keep-alive connection stays open): {@code MODEL_CONTRACT_READ_TIMEOUT_SECONDS}, else 60
 * @param drainTimeout how long SIGTERM waits for requests in progress before the server stops:
 *     {@code MODEL_CONTRACT_DRAIN_TIMEOUT_SECONDS}, else 25 (SageMaker kills the container 30 s after SIGTERM)
 * @param ioThreads event-loop threads that read, decode, check and write: {@code MODEL_CONTRACT_IO_THREADS}, else 0
 *     for the processors the workers leave, at least one ({@link #effectiveIoThreads})
 */
public record ServerConfig(int port, Path modelDirectory, long maxRequestBytes, int workers, Path goldenDirectory,
    double goldenTolerance, Batching batching, Duration readTimeout, Duration drainTimeout, int ioThreads) {

  /**
   * How inference threads take requests: how many share a forward pass, and how a free thread waits.
   *
   * @param maxRows the most rows one forward pass takes; 0 for the contract's batch maximum, 1 for no batching
   * @param delay how long a free inference thread waits for more requests before it runs what it has
   * @param spin how long a thread that found nothing to do polls the queue before it parks
   */
  public record Batching(long maxRows, Duration delay, Duration spin) {

    /**
     * The measured default ({@code bench/batching.sh}): join whatever is queued when an inference thread frees up,
     * wait for nothing, poll 200 µs before parking (a parked thread's wake-up cost c=1 a third of its latency).
     */
    public static final Batching DEFAULT = new Batching(0, Duration.ZERO, Duration.ofNanos(200_000));
    public static final Batching OFF = new Batching(1, Duration.ZERO, Duration.ZERO);
  }

  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(25);

  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_MODEL_DIRECTORY = Path.of("/opt/ml/model");
  public static final long DEFAULT_MAX_REQUEST_BYTES = 6L * 1024 * 1024;

  /** The model directory's own golden pairs, at the default tolerance. */
  public ServerConfig(int port, Path modelDirectory, long maxRequestBytes, int workers) {
    this(port, modelDirectory, maxRequestBytes, workers, modelDirectory.resolve(GoldenCase.FOLDER),
        GoldenReplay.DEFAULT_TOLERANCE);
  }

  /** Default batching and timeouts. */
  public ServerConfig(int port, Path modelDirectory, long maxRequestBytes, int workers, Path goldenDirectory,
      double goldenTolerance) {
    this(port, modelDirectory, maxRequestBytes, workers, goldenDirectory, goldenTolerance, Batching.DEFAULT,
        DEFAULT_READ_TIMEOUT, DEFAULT_DRAIN_TIMEOUT, 0);
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(port, modelDirectory, maxRequestBytes, workers, goldenDirectory, goldenTolerance, batching,
        readTimeout, drainTimeout, ioThreads);
  }

  public ServerConfig withBatching(Batching batching) {
    return new ServerConfig(port, modelDirectory, maxRequestBytes, workers, goldenDirectory, goldenTolerance, batching,
        readTimeout, drainTimeout, ioThreads);
  }

  public ServerConfig withTimeouts(Duration readTimeout, Duration drainTimeout) {
    return new ServerConfig(port, modelDirectory, maxRequestBytes, workers, goldenDirectory, goldenTolerance, batching,
        readTimeout, drainTimeout, ioThreads);
  }

  public static ServerConfig fromEnvironment(Map<String, String> env) {
    Path modelDirectory = Path.of(env.getOrDefault("MODEL_CONTRACT_MODEL_DIR", DEFAULT_MODEL_DIRECTORY.toString()));
    return new ServerConfig(
        port(env),
        modelDirectory,
        atMost(env, "MODEL_CONTRACT_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES, Integer.MAX_VALUE),
        intOf(env, "SAGEMAKER_MODEL_SERVER_WORKERS", defaultWorkers()),
        Path.of(env.getOrDefault("MODEL_CONTRACT_GOLDEN_DIR", modelDirectory.resolve(GoldenCase.FOLDER).toString())),
        tolerance(env),
        new Batching(longOf(env, "MODEL_CONTRACT_BATCH_MAX_ROWS", Batching.DEFAULT.maxRows()),
            micros(env, "MODEL_CONTRACT_BATCH_DELAY_MICROS", Batching.DEFAULT.delay()),
            micros(env, "MODEL_CONTRACT_SPIN_MICROS", Batching.DEFAULT.spin())),
        Duration.ofSeconds(atMost(env, "MODEL_CONTRACT_READ_TIMEOUT_SECONDS", DEFAULT_READ_TIMEOUT.toSeconds(),
            MAX_TIMEOUT_SECONDS)),
        Duration.ofSeconds(atMost(env, "MODEL_CONTRACT_DRAIN_TIMEOUT_SECONDS", DEFAULT_DRAIN_TIMEOUT.toSeconds(),
            MAX_TIMEOUT_SECONDS)),
        intOf(env, "MODEL_CONTRACT_IO_THREADS", 0));
  }

  /**
   * The I/O threads: as configured, else the processors the inference threads leave, at least one (an I/O thread
   * more than there are free cores only competes with the others for them: on 2 cores, one I/O thread beside one
   * inference thread served c=32 18 % faster than two, with a lower c=8 p99; {@code bench/batching.sh}).
   */
  public int effectiveIoThreads() {
    return ioThreads > 0 ? ioThreads : Math.max(1, Runtime.getRuntime().availableProcessors() - workers);
  }

  /** A day: longer timeouts are a typo, and would overflow nanosecond arithmetic. */
  private static final long MAX_TIMEOUT_SECONDS = 86_400;

  private static long atMost(Map<String, String> env, String name, long fallback, long most) {
    long value = longOf(env, name, fallback);
    if (value > most) {
      throw new IllegalArgumentException(name + " must be at most " + most + ", but is '" + env.get(name) + "'");
    }
    return value;
  }

  private static Duration micros(Map<String, String> env, String name, Duration fallback) {
    return Duration.ofNanos(Math.multiplyExact(longOf(env, name, fallback.toNanos() / 1000, 0), 1000L));
  }

  static int defaultWorkers() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  private static double tolerance(Map<String, String> env) {
    String value = env.get("MODEL_CONTRACT_GOLDEN_TOLERANCE");
    if (value == null || value.isBlank()) {
      return GoldenReplay.DEFAULT_TOLERANCE;
    }
    try {
      double parsed = Double.parseDouble(value.strip());
      if (parsed >= 0 && Double.isFinite(parsed)) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("MODEL_CONTRACT_GOLDEN_TOLERANCE must be a number of 0 or more, such as"
        + " 1e-5, but is '" + value + "'");
  }

  private static int port(Map<String, String> env) {
    int port = intOf(env, "SAGEMAKER_BIND_TO_PORT", DEFAULT_PORT);
    if (port > 65535) {
      throw new IllegalArgumentException("SAGEMAKER_BIND_TO_PORT must be a TCP port (1 to 65535), but is " + port);
    }
    return port;
  }

  private static int intOf(Map<String, String> env, String name, int fallback) {
    long value = longOf(env, name, fallback);
    if (value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " must be a positive integer up to " + Integer.MAX_VALUE
          + ", but is '" + env.get(name) + "'");
    }
    return (int) value;
  }

  private static long longOf(Map<String, String> env, String name, long fallback) {
    return longOf(env, name, fallback, 1);
  }

  private static long longOf(Map<String, String> env, String name, long fallback, long least) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.strip());
      if (parsed >= least) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be " + (least > 0 ? "a positive integer" : "an integer of 0 or"
        + " more") + ", but is '" + value + "'");
  }
}
