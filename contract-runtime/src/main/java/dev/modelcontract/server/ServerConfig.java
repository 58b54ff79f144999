package dev.modelcontract.server;

import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_BATCH_DELAY_MICROS;
import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_BATCH_MAX_ROWS;
import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_DRAIN_TIMEOUT_SECONDS;
import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_GOLDEN_DIR;
import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_GOLDEN_TOLERANCE;
import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_IO_THREADS;
import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_MAX_INFLIGHT_BYTES;
import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_MAX_REQUEST_BYTES;
import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_MODEL_DIR;
import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_MODEL_NAME;
import static dev.modelcontract.hosting.EnvironmentVariable.PORT;
import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_READ_TIMEOUT_SECONDS;
import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_SPIN_MICROS;
import static dev.modelcontract.hosting.EnvironmentVariable.SAGEMAKER_BIND_TO_PORT;
import static dev.modelcontract.hosting.EnvironmentVariable.SAGEMAKER_MAX_PAYLOAD_IN_MB;
import static dev.modelcontract.hosting.EnvironmentVariable.SAGEMAKER_MODEL_SERVER_WORKERS;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.hosting.EnvironmentVariable;
import dev.modelcontract.hosting.KServeHosting;
import dev.modelcontract.hosting.SageMakerHosting;
import dev.modelcontract.validation.GoldenReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How the server runs, read from the environment SageMaker gives the container ({@link #fromEnvironment}). Each
 * variable, its default and why: docs/configuration.md.
 *
 * @param port the HTTP port
 * @param modelDirectory the model and its contract
 * @param maxRequestBytes the largest accepted body
 * @param workers inference threads, each running one forward pass at a time (of one request or a batch)
 * @param goldenDirectory golden pairs replayed at start before /ping answers 200
 * @param goldenTolerance the allowed difference per value, relative to {@code 1 + |expected|}
 * @param batching how requests share forward passes
 * @param readTimeout how long a client may pause while sending a request before it is answered 408 (and how long
 *     an idle keep-alive connection stays open)
 * @param drainTimeout how long SIGTERM waits for requests in progress before the server stops (SageMaker kills the
 *     container 30 s after SIGTERM)
 * @param ioThreads event-loop threads that read, decode, check and write; 0 for the processors the workers leave,
 *     at least one ({@link #effectiveIoThreads})
 * @param inFlightBodyBytes the memory the request bodies being served may take at once ({@link BodyBudget}); 0 for
 *     half the heap
 * @param batchTransform what a SageMaker batch transform job said of itself; {@link BatchTransform#NONE} outside one
 * @param modelName the model's name on the Open Inference Protocol's routes; empty for the contract's default
 *     ({@link dev.modelcontract.contract.ModelContract#defaultName()})
 */
public record ServerConfig(int port, Path modelDirectory, long maxRequestBytes, int workers, Path goldenDirectory,
    double goldenTolerance, Batching batching, Duration readTimeout, Duration drainTimeout, int ioThreads,
    long inFlightBodyBytes, BatchTransform batchTransform, Optional<String> modelName) {

  /**
   * How inference threads take requests: how many share a forward pass, and how a free thread waits.
   *
   * @param maxRows the most rows one forward pass takes; 0 for the contract's batch maximum, 1 for no batching
   * @param delay how long a free inference thread waits for more requests before it runs what it has
   * @param spin how long a thread that found nothing to do polls the queue before it parks
   */
  public record Batching(long maxRows, Duration delay, Duration spin) {

    /**
     * Join whatever is queued when an inference thread frees up and wait for nothing, since requests pile up while
     * a forward pass runs; poll a while before parking, since waking a parked thread costs more than a request at
     * low load (the figures: docs/benchmarks.md).
     */
    public static final Batching DEFAULT = new Batching(0, Duration.ZERO, Duration.ofNanos(200_000));
    public static final Batching OFF = new Batching(1, Duration.ZERO, Duration.ZERO);

    /** The most rows one forward pass of a model takes, given the most its contract allows. */
    public long rowsPerPass(long contractMax) {
      return maxRows == 0 ? contractMax : Math.min(maxRows, contractMax);
    }
  }

  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(25);

  /** The model directory's own golden pairs, at the default tolerance. */
  public ServerConfig(int port, Path modelDirectory, long maxRequestBytes, int workers) {
    this(port, modelDirectory, maxRequestBytes, workers, modelDirectory.resolve(GoldenCase.FOLDER),
        GoldenReplay.DEFAULT_TOLERANCE);
  }

  /** Default batching and timeouts. */
  public ServerConfig(int port, Path modelDirectory, long maxRequestBytes, int workers, Path goldenDirectory,
      double goldenTolerance) {
    this(port, modelDirectory, maxRequestBytes, workers, goldenDirectory, goldenTolerance, Batching.DEFAULT,
        DEFAULT_READ_TIMEOUT, DEFAULT_DRAIN_TIMEOUT, 0, 0, BatchTransform.NONE, Optional.empty());
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(port, modelDirectory, maxRequestBytes, workers, goldenDirectory, goldenTolerance, batching,
        readTimeout, drainTimeout, ioThreads, inFlightBodyBytes, batchTransform, modelName);
  }

  public ServerConfig withBatching(Batching batching) {
    return new ServerConfig(port, modelDirectory, maxRequestBytes, workers, goldenDirectory, goldenTolerance, batching,
        readTimeout, drainTimeout, ioThreads, inFlightBodyBytes, batchTransform, modelName);
  }

  public ServerConfig withInFlightBodyBytes(long inFlightBodyBytes) {
    return new ServerConfig(port, modelDirectory, maxRequestBytes, workers, goldenDirectory, goldenTolerance, batching,
        readTimeout, drainTimeout, ioThreads, inFlightBodyBytes, batchTransform, modelName);
  }

  public ServerConfig withMaxRequestBytes(long maxRequestBytes) {
    return new ServerConfig(port, modelDirectory, maxRequestBytes, workers, goldenDirectory, goldenTolerance, batching,
        readTimeout, drainTimeout, ioThreads, inFlightBodyBytes, batchTransform, modelName);
  }

  public ServerConfig withBatchTransform(BatchTransform batchTransform) {
    return new ServerConfig(port, modelDirectory, maxRequestBytes, workers, goldenDirectory, goldenTolerance, batching,
        readTimeout, drainTimeout, ioThreads, inFlightBodyBytes, batchTransform, modelName);
  }

  public ServerConfig withTimeouts(Duration readTimeout, Duration drainTimeout) {
    return new ServerConfig(port, modelDirectory, maxRequestBytes, workers, goldenDirectory, goldenTolerance, batching,
        readTimeout, drainTimeout, ioThreads, inFlightBodyBytes, batchTransform, modelName);
  }

  public ServerConfig withModelName(String modelName) {
    return new ServerConfig(port, modelDirectory, maxRequestBytes, workers, goldenDirectory, goldenTolerance, batching,
        readTimeout, drainTimeout, ioThreads, inFlightBodyBytes, batchTransform, Optional.of(modelName));
  }

  public static ServerConfig fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, Files::isRegularFile);
  }

  /** @param exists whether a file exists, to find where a model was put ({@link #modelDirectory(Map, Predicate)}) */
  static ServerConfig fromEnvironment(Map<String, String> env, Predicate<Path> exists) {
    Path modelDirectory = modelDirectory(env, exists);
    return new ServerConfig(
        port(env),
        modelDirectory,
        maxRequestBytes(env),
        intOf(env, SAGEMAKER_MODEL_SERVER_WORKERS, defaultWorkers()),
        Path.of(env.getOrDefault(MODEL_CONTRACT_GOLDEN_DIR.name(),
            modelDirectory.resolve(GoldenCase.FOLDER).toString())),
        tolerance(env),
        new Batching(longOf(env, MODEL_CONTRACT_BATCH_MAX_ROWS, Batching.DEFAULT.maxRows()),
            micros(env, MODEL_CONTRACT_BATCH_DELAY_MICROS, Batching.DEFAULT.delay()),
            micros(env, MODEL_CONTRACT_SPIN_MICROS, Batching.DEFAULT.spin())),
        Duration.ofSeconds(atMost(env, MODEL_CONTRACT_READ_TIMEOUT_SECONDS, DEFAULT_READ_TIMEOUT.toSeconds(),
            MAX_TIMEOUT_SECONDS)),
        Duration.ofSeconds(atMost(env, MODEL_CONTRACT_DRAIN_TIMEOUT_SECONDS, DEFAULT_DRAIN_TIMEOUT.toSeconds(),
            MAX_TIMEOUT_SECONDS)),
        intOf(env, MODEL_CONTRACT_IO_THREADS, 0),
        longOf(env, MODEL_CONTRACT_MAX_INFLIGHT_BYTES, 0),
        BatchTransform.fromEnvironment(env), modelName(env));
  }

  /**
   * MODEL_CONTRACT_MODEL_DIR where it is set; else KServe's {@code /mnt/models} where a contract was put there (its
   * storage initializer downloads the InferenceService's {@code storageUri} into it, so a model mounted there was
   * meant to be served, even by an image that holds one); else SageMaker's {@code /opt/ml/model}.
   */
  static Path modelDirectory(Map<String, String> env, Predicate<Path> exists) {
    String named = MODEL_CONTRACT_MODEL_DIR.in(env);
    if (named != null && !named.isBlank()) {
      return Path.of(named.strip());
    }
    Path kserve = Path.of(KServeHosting.MODEL_DIRECTORY);
    return exists.test(kserve.resolve(ContractReader.FILE_NAME)) ? kserve : Path.of(SageMakerHosting.MODEL_DIRECTORY);
  }

  private static Optional<String> modelName(Map<String, String> env) {
    String value = MODEL_CONTRACT_MODEL_NAME.in(env);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String name = value.strip();
    if (!KServeHosting.isModelName(name)) {
      throw new IllegalArgumentException(MODEL_CONTRACT_MODEL_NAME + " must be a name of "
          + KServeHosting.MODEL_NAME_RULE + " (it is a path segment of /v2/models/NAME), but is '" + value + "'");
    }
    return Optional.of(name);
  }

  /** A MiB: SageMaker's "MB" in MaxPayloadInMB, as in InvokeEndpoint's "6 MB" of 6,291,456 bytes. */
  static final long MIB = 1 << 20;

  /**
   * The body limit: MODEL_CONTRACT_MAX_REQUEST_BYTES where set, since whoever set it chose it for this image; else a
   * batch transform job's MaxPayloadInMB in MiB (2^20 bytes: the larger reading of "MB", so that the job's largest
   * body fits whichever SageMaker means; 0, "any size, chunked", names no size); else InvokeEndpoint's 6 MiB.
   */
  static long maxRequestBytes(Map<String, String> env) {
    long payloadInMb = longOf(env, SAGEMAKER_MAX_PAYLOAD_IN_MB, 0, 0);
    if (payloadInMb > MAX_PAYLOAD_IN_MB) {
      throw new IllegalArgumentException(SAGEMAKER_MAX_PAYLOAD_IN_MB + " must be at most " + MAX_PAYLOAD_IN_MB
          + " (MiB, the body limit's largest), but is '" + SAGEMAKER_MAX_PAYLOAD_IN_MB.in(env) + "'");
    }
    long fallback = payloadInMb > 0 ? payloadInMb * MIB : SageMakerHosting.MAX_BODY_BYTES;
    return atMost(env, MODEL_CONTRACT_MAX_REQUEST_BYTES, fallback, Integer.MAX_VALUE);
  }

  /** The most MiB a body limit of at most Integer.MAX_VALUE bytes holds (SageMaker's own maximum is 100). */
  private static final long MAX_PAYLOAD_IN_MB = Integer.MAX_VALUE / MIB;

  /**
   * The I/O threads: as configured, else the processors the inference threads leave, at least one (an I/O thread
   * more than there are free cores only competes with the others for them).
   */
  public int effectiveIoThreads() {
    return ioThreads > 0 ? ioThreads : Math.max(1, Runtime.getRuntime().availableProcessors() - workers);
  }

  /** The in-flight body budget: as configured, else half the heap. */
  public long effectiveInFlightBodyBytes() {
    return inFlightBodyBytes > 0 ? inFlightBodyBytes : Runtime.getRuntime().maxMemory() / 2;
  }

  /** A day: longer timeouts are a typo, and would overflow nanosecond arithmetic. */
  private static final long MAX_TIMEOUT_SECONDS = 86_400;

  private static long atMost(Map<String, String> env, EnvironmentVariable name, long fallback, long most) {
    long value = longOf(env, name, fallback);
    if (value > most) {
      throw new IllegalArgumentException(name + " must be at most " + most + ", but is '" + name.in(env) + "'");
    }
    return value;
  }

  private static Duration micros(Map<String, String> env, EnvironmentVariable name, Duration fallback) {
    return Duration.ofNanos(Math.multiplyExact(longOf(env, name, fallback.toNanos() / 1000, 0), 1000L));
  }

  static int defaultWorkers() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  private static double tolerance(Map<String, String> env) {
    String value = MODEL_CONTRACT_GOLDEN_TOLERANCE.in(env);
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
    throw new IllegalArgumentException(MODEL_CONTRACT_GOLDEN_TOLERANCE + " must be a number of 0 or more, such as"
        + " 1e-5, but is '" + value + "'");
  }

  /** SAGEMAKER_BIND_TO_PORT, else Knative's PORT (KServe's serverless mode), else 8080. */
  private static int port(Map<String, String> env) {
    String sagemaker = SAGEMAKER_BIND_TO_PORT.in(env);
    EnvironmentVariable named = sagemaker == null || sagemaker.isBlank() ? PORT : SAGEMAKER_BIND_TO_PORT;
    int port = intOf(env, named, SageMakerHosting.PORT);
    if (port > 65535) {
      throw new IllegalArgumentException(named + " must be a TCP port (1 to 65535), but is " + port);
    }
    return port;
  }

  /** A count of 0 or more; 0 where unset. */
  static int countOf(Map<String, String> env, EnvironmentVariable name) {
    long value = longOf(env, name, 0, 0);
    if (value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " must be an integer from 0 to " + Integer.MAX_VALUE + ", but is '"
          + name.in(env) + "'");
    }
    return (int) value;
  }

  private static int intOf(Map<String, String> env, EnvironmentVariable name, int fallback) {
    long value = longOf(env, name, fallback);
    if (value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " must be a positive integer up to " + Integer.MAX_VALUE
          + ", but is '" + name.in(env) + "'");
    }
    return (int) value;
  }

  private static long longOf(Map<String, String> env, EnvironmentVariable name, long fallback) {
    return longOf(env, name, fallback, 1);
  }

  private static long longOf(Map<String, String> env, EnvironmentVariable name, long fallback, long least) {
    String value = name.in(env);
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
