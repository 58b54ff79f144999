package dev.modelcontract.hosting;

/**
 * KServe's contract with a custom predictor container, as far as the image depends on it: the container is started
 * without arguments, its storage initializer downloads the InferenceService's {@code storageUri} into
 * {@link #MODEL_DIRECTORY}, it probes and calls the Open Inference Protocol's {@code /v2} routes on port 8080
 * ({@link SageMakerHosting#PORT}, the same), and Knative names the port in {@link EnvironmentVariable#PORT}.
 */
public final class KServeHosting {

  /** Where KServe's storage initializer puts the model of an InferenceService's {@code storageUri}. */
  public static final String MODEL_DIRECTORY = "/mnt/models";

  /** What a model's name may be: one path segment of {@code /v2/models/NAME}, as a Maven artifactId is. */
  public static final String MODEL_NAME_RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit";

  private KServeHosting() {}

  /** Whether a model name keeps {@link #MODEL_NAME_RULE}. */
  public static boolean isModelName(String name) {
    return name != null && name.matches("[A-Za-z0-9][A-Za-z0-9._-]*");
  }
}
