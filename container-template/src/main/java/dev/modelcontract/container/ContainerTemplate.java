package dev.modelcontract.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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
  /** Build-context file of the image's CycloneDX SBOM, copied to {@link #CONTAINER_SBOM_PATH}. */
  public static final String SBOM_FILE = "sbom.cdx.json";
  /** Where the image holds its SBOM. */
  public static final String CONTAINER_SBOM_PATH = "/opt/model-contract/" + SBOM_FILE;
  /** File name of the entrypoint in {@link #BIN_DIR}. */
  public static final String ENTRYPOINT = "entrypoint.sh";
  /** Where SageMaker expects the model inside the container. */
  public static final String CONTAINER_MODEL_PATH = "/opt/ml/model";
  /** The port SageMaker talks to unless SAGEMAKER_BIND_TO_PORT says otherwise. */
  public static final int PORT = 8080;

  private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z0-9_]+)@");

  private ContainerTemplate() {}

  /** The user serving images run as unless the build says otherwise: SageMaker's hosting contract expects root. */
  public static final String DEFAULT_USER = "root";

  /**
   * The Dockerfile of an image with the model in it, every placeholder replaced.
   *
   * @param values BASE_IMAGE, GOLDEN_TOLERANCE, MODEL_NAME, LIBTORCH_VERSION, LIBTORCH_FLAVOR, RUNTIME_VERSION,
   *     CONTRACT_SHA256, MODEL_SHA256, USER
   * @throws IllegalArgumentException when a placeholder has no value
   */
  public static String dockerfile(Map<String, String> values) {
    return dockerfile(values, true);
  }

  /**
   * The Dockerfile, every placeholder replaced.
   *
   * @param withModel whether the model is copied into the image; without it, the image serves whatever model
   *     directory is mounted at /opt/ml/model, as SageMaker mounts a model.tar.gz extracted from ModelDataUrl (the
   *     build still starts it once with the model, to record the class-data-sharing archive)
   */
  public static String dockerfile(Map<String, String> values, boolean withModel) {
    Map<String, String> filled = new HashMap<>(values);
    filled.put("MODEL_LAYER", withModel
        ? "# The model, its contract and its golden pairs (model/golden/), replayed at every start on the host's CPU.\n"
            + "COPY " + MODEL_DIR + "/ " + CONTAINER_MODEL_PATH + "/"
        : "# No model: SageMaker extracts the model.tar.gz of ModelDataUrl into " + CONTAINER_MODEL_PATH + " (or mount"
            + " one there);\n# the build wrote it next to this context, as target/model-contract/model.tar.gz.");
    if (!withModel) {
      filled.put("CONTRACT_SHA256", "none: the model is mounted");
      filled.put("MODEL_SHA256", "none: the model is mounted");
    }
    filled.put("SBOM_FILE", SBOM_FILE);
    filled.put("CONTAINER_SBOM_PATH", CONTAINER_SBOM_PATH);
    return fill(resource("Dockerfile.template"), filled);
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
