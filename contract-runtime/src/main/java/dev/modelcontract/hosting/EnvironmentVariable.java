package dev.modelcontract.hosting;

import java.util.Map;

/**
 * Every environment variable a serving image reads, named by its constant. Defaults, ranges and the reasons for
 * them are documented once, in docs/configuration.md; a test there keeps that page and this list the same.
 */
public enum EnvironmentVariable {

  // Set by whoever runs the image (SageMaker's Environment, docker run -e).

  /** The HTTP port. */
  SAGEMAKER_BIND_TO_PORT,
  /** The HTTP port Knative (KServe's serverless mode) names; SAGEMAKER_BIND_TO_PORT wins where both are set. */
  PORT,
  /** Inference threads, each running one forward pass at a time. */
  SAGEMAKER_MODEL_SERVER_WORKERS,
  /** Event-loop threads that read, decode, check and write. */
  MODEL_CONTRACT_IO_THREADS,
  /** libtorch's intra-op threads per forward pass (read by the entrypoint). */
  MODEL_CONTRACT_TORCH_THREADS,
  /** The largest accepted request body, in bytes. */
  MODEL_CONTRACT_MAX_REQUEST_BYTES,
  /** The memory the request bodies being served may take at once; more are answered 503 until some are answered. */
  MODEL_CONTRACT_MAX_INFLIGHT_BYTES,
  /** The memory the entrypoint sizes the JVM for (read by the entrypoint). */
  MODEL_CONTRACT_MEMORY_BYTES,
  /** The most rows one forward pass takes; 1 turns dynamic batching off. */
  MODEL_CONTRACT_BATCH_MAX_ROWS,
  /** How long a free inference thread waits for more requests before it runs what it has. */
  MODEL_CONTRACT_BATCH_DELAY_MICROS,
  /** How long an idle inference thread polls for work before it parks. */
  MODEL_CONTRACT_SPIN_MICROS,
  /** How long a request may take to arrive in full (else 408), and an idle connection may stay open. */
  MODEL_CONTRACT_READ_TIMEOUT_SECONDS,
  /** On SIGTERM, how long requests already read may take to be answered. */
  MODEL_CONTRACT_DRAIN_TIMEOUT_SECONDS,
  /** The model directory, holding the contract, the model file and the golden pairs. */
  MODEL_CONTRACT_MODEL_DIR,
  /** The model's name on the Open Inference Protocol's routes ({@code /v2/models/NAME}) and in their answers. */
  MODEL_CONTRACT_MODEL_NAME,
  /** The golden pairs replayed at start before /ping answers 200. */
  MODEL_CONTRACT_GOLDEN_DIR,
  /** The allowed difference per value in that replay. */
  MODEL_CONTRACT_GOLDEN_TOLERANCE,
  /** {@code true} to serve as a multi-model endpoint: no model at start, models loaded by POST /models. */
  SAGEMAKER_MULTI_MODEL,
  /** On a multi-model endpoint, the memory the loaded models may take together, in bytes (else 507). */
  MODEL_CONTRACT_MODELS_MEMORY_BYTES,
  /**
   * {@code checked} (the default): a single-model image checks, before /ping answers 200, whether oneDNN's uncapped
   * kernels give the capped kernels' numbers for its model on this host, and serves with them only where they do;
   * {@code capped}: keeps the AVX2 cap without a check.
   */
  MODEL_CONTRACT_KERNELS,
  /** oneDNN's own cap on the instruction set of its kernels. */
  ONEDNN_MAX_CPU_ISA,
  /** OpenMP's thread-team size for every thread that runs libtorch. */
  OMP_NUM_THREADS,
  /** Extra JVM options, appended last (read by the entrypoint). */
  JAVA_OPTS,

  // Set by SageMaker batch transform (the last three only where the job names them).

  /** {@code true} in a batch transform job. */
  SAGEMAKER_BATCH,
  /** The job's MaxPayloadInMB: the largest body it sends, in MiB. */
  SAGEMAKER_MAX_PAYLOAD_IN_MB,
  /** The job's BatchStrategy: {@code SINGLE_RECORD}, or {@code MULTI_RECORD} for many records (lines) per body. */
  SAGEMAKER_BATCH_STRATEGY,
  /** The job's MaxConcurrentTransforms: the most requests it has open at once. */
  SAGEMAKER_MAX_CONCURRENT_TRANSFORMS,

  // Set by the image build; changing them breaks the image.

  /** Marks a stub image, where {@code serve} refuses to start. */
  MODEL_CONTRACT_STUB_IMAGE,
  /** Keeps DJL from downloading anything. */
  DJL_OFFLINE,
  /** Keeps DJL from calling home. */
  OPT_OUT_TRACKING,
  /** DJL's writable cache. */
  DJL_CACHE_DIR,
  /** Where DJL finds its JNI library, extracted at build time. */
  ENGINE_CACHE_DIR,
  /** Where DJL finds libtorch, extracted at build time. */
  PYTORCH_LIBRARY_PATH,
  /** The version of that libtorch. */
  PYTORCH_VERSION,
  /** The flavor of that libtorch (cpu, or a CUDA build). */
  PYTORCH_FLAVOR,

  // Set by the server for itself.

  /**
   * What the kernel check compared: set for the uncapped process that takes over the listening socket from a capped
   * one whose check found the uncapped kernels agree.
   */
  MODEL_CONTRACT_KERNELS_CHECKED;

  /** This variable's value in an environment, or null where it is unset. */
  public String in(Map<String, String> environment) {
    return environment.get(name());
  }
}
