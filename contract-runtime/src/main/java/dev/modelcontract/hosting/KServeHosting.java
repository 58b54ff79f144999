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

  private KServeHosting() {}
}
