package dev.modelcontract.hosting;

/**
 * SageMaker's hosting protocol for inference containers, as far as the image and its callers depend on it:
 * <a href="https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html">Use your own
 * inference code with hosting services</a> and InvokeEndpoint's limits.
 */
public final class SageMakerHosting {

  /** The port SageMaker sends {@code /ping} and {@code /invocations} to (SAGEMAKER_BIND_TO_PORT may name another). */
  public static final int PORT = 8080;

  /**
   * Where SageMaker extracts a model's {@code ModelDataUrl} archive in the container, and where an image holds its
   * own model.
   */
  public static final String MODEL_DIRECTORY = "/opt/ml/model";

  /**
   * Where SageMaker extracts the archives a multi-model endpoint loads: {@code /opt/ml/models/NAME/model}, the
   * {@code url} of {@code POST /models}.
   */
  public static final String MODELS_DIRECTORY = "/opt/ml/models";

  /**
   * The image label with which SageMaker lets an image serve a multi-model endpoint (its "custom containers contract
   * for multi-model endpoints"); SageMaker then starts it with {@code SAGEMAKER_MULTI_MODEL=true}.
   */
  public static final String MULTI_MODEL_LABEL = "com.amazonaws.sagemaker.capabilities.multi-models";

  /**
   * The image label with which SageMaker may start an image on another port than 8080 (inference pipelines), named
   * in {@code SAGEMAKER_BIND_TO_PORT}.
   */
  public static final String BIND_TO_PORT_LABEL = "com.amazonaws.sagemaker.capabilities.accept-bind-to-port";

  /**
   * InvokeEndpoint's largest request body for a real-time endpoint: 6 MiB (6,291,456 bytes). The server's default
   * limit, the build's payload estimate and the testkit's oversized request all use this one value.
   */
  public static final int MAX_BODY_BYTES = 6 * 1024 * 1024;

  /**
   * The system property in which the image's entrypoint tells the server the memory it sized the JVM for, and where
   * that figure came from (docs/configuration.md#memory); the server logs it at start.
   */
  public static final String MEMORY_PROPERTY = "model-contract.memory";

  private SageMakerHosting() {}

  /** The memory, in MiB, that {@link #MEMORY_PROPERTY} says the JVM was sized for; 0 outside an image. */
  public static long sizedMemoryMib() {
    String memory = System.getProperty(MEMORY_PROPERTY, "");
    String digits = memory.strip().split("\\D", 2)[0];
    try {
      return digits.isEmpty() ? 0 : Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
