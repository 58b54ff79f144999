package dev.modelcontract.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serving image's layout: the build-context folders the Dockerfile copies, and the Dockerfile and entrypoint
 * themselves, with {@code @NAME@} placeholders the plugin fills in.
 */
public final class ContainerTemplate {

  /** Build-context folder of the extracted libtorch files. */
  public static final String LIBTORCH_DIR = "libtorch";
  /** Build-context folder laid out as DJL's engine cache (its JNI library). */
  public static final String DJL_CACHE_DIR = "djl-cache";
  /** Build-context folder of native libraries the runtime's jars would otherwise unpack at start (JNA's stub). */
  public static final String NATIVE_DIR = "native";
  /** Build-context folder of the runtime's jars. */
  public static final String LIB_DIR = "lib";
  /** Build-context folder of the entrypoint. */
  public static final String BIN_DIR = "bin";
  /** Build-context folder copied to /opt/ml/model: contract, model file and golden pairs. */
  public static final String MODEL_DIR = "model";
  /** File name of the entrypoint in {@link #BIN_DIR}. */
  public static final String ENTRYPOINT = "entrypoint.sh";
  /** Where SageMaker expects the model inside the container. */
  public static final String CONTAINER_MODEL_PATH = "/opt/ml/model";
  /** The port SageMaker talks to unless SAGEMAKER_BIND_TO_PORT says otherwise. */
  public static final int PORT = 8080;

  private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z0-9_]+)@");

  private ContainerTemplate() {}

  /**
   * The Dockerfile with every placeholder replaced.
   *
   * @param values BASE_IMAGE, GOLDEN_TOLERANCE, MODEL_NAME, LIBTORCH_VERSION, LIBTORCH_FLAVOR, RUNTIME_VERSION,
   *     CONTRACT_SHA256, MODEL_SHA256
   * @throws IllegalArgumentException when a placeholder has no value
   */
  public static String dockerfile(Map<String, String> values) {
    return fill(resource("Dockerfile.template"), values);
  }

  public static String entrypoint() {
    return resource(ENTRYPOINT);
  }

  static String fill(String template, Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for the template placeholder @" + matcher.group(1) + "@");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return matcher.appendTail(out).toString();
  }

  private static String resource(String name) {
    try (InputStream in = ContainerTemplate.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + name + " next to " + ContainerTemplate.class);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
