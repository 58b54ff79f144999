package dev.modelcontract.server;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the server runs, read from the environment SageMaker gives the container.
 *
 * @param port the HTTP port: {@code SAGEMAKER_BIND_TO_PORT}, else 8080
 * @param modelDirectory the model and its contract: {@code MODEL_CONTRACT_MODEL_DIR}, else /opt/ml/model
 * @param maxRequestBytes the largest accepted body: {@code MODEL_CONTRACT_MAX_REQUEST_BYTES}, else SageMaker's
 *     6 MB real-time payload limit
 * @param workers requests served at once: {@code SAGEMAKER_MODEL_SERVER_WORKERS}, else the processor count
 */
public record ServerConfig(int port, Path modelDirectory, long maxRequestBytes, int workers) {

  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_MODEL_DIRECTORY = Path.of("/opt/ml/model");
  public static final long DEFAULT_MAX_REQUEST_BYTES = 6L * 1024 * 1024;

  public static ServerConfig fromEnvironment(Map<String, String> env) {
    return new ServerConfig(
        port(env),
        Path.of(env.getOrDefault("MODEL_CONTRACT_MODEL_DIR", DEFAULT_MODEL_DIRECTORY.toString())),
        longOf(env, "MODEL_CONTRACT_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES),
        intOf(env, "SAGEMAKER_MODEL_SERVER_WORKERS", Runtime.getRuntime().availableProcessors()));
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
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.strip());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a positive integer, but is '" + value + "'");
  }
}
