package dev.modelcontract.container;

import dev.modelcontract.hosting.EnvironmentVariable;
import dev.modelcontract.hosting.ImageCommand;
import dev.modelcontract.hosting.SageMakerHosting;
import dev.modelcontract.server.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serving image's layout: the build-context folders the plugin stages, the layers they become (in order), the
 * environment, labels and entrypoint. The plugin assembles the image from this (with Jib); nothing here depends on
 * how. What the image shares with the server it runs (SageMaker's port and model directory, the commands, the
 * environment variables) comes from {@code dev.modelcontract.hosting}.
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
  /** Build-context file of the class-data-sharing archive, copied to {@link #CONTAINER_CLASS_ARCHIVE_PATH}. */
  public static final String CLASS_ARCHIVE_FILE = "classes.jsa";
  /** Build-context file of the image's CycloneDX SBOM, copied to {@link #CONTAINER_SBOM_PATH}. */
  public static final String SBOM_FILE = "sbom.cdx.json";
  /** File name of the entrypoint in {@link #BIN_DIR}. */
  public static final String ENTRYPOINT = "entrypoint.sh";

  /** Where the runtime lives inside the container. */
  public static final String CONTAINER_HOME = "/opt/model-contract";
  /** The entrypoint inside the container. */
  public static final String CONTAINER_ENTRYPOINT = CONTAINER_HOME + "/" + BIN_DIR + "/" + ENTRYPOINT;
  /** Where the entrypoint looks for the class-data-sharing archive. */
  public static final String CONTAINER_CLASS_ARCHIVE_PATH = CONTAINER_HOME + "/" + CLASS_ARCHIVE_FILE;
  /** Where the image holds its SBOM. */
  public static final String CONTAINER_SBOM_PATH = CONTAINER_HOME + "/" + SBOM_FILE;
  /** The only place the image's process writes, so that its root file system may be read-only. */
  public static final String CONTAINER_TMP = "/tmp";
  /** The user serving images run as unless the build says otherwise: SageMaker's hosting contract expects root. */
  public static final String DEFAULT_USER = "root";
  /**
   * The entrypoint's build-time mode: {@code record-classes ARCHIVE} starts the server once on its golden requests
   * and dumps the classes it loaded into a class-data-sharing archive.
   */
  public static final String RECORD_CLASSES = "record-classes";

  /**
   * One layer: a build-context folder or file and where it goes in the container.
   *
   * @param name the layer's name in build logs
   * @param contextPath relative to the build context
   * @param containerPath absolute in the container
   */
  public record Layer(String name, String contextPath, String containerPath) {}

  /**
   * The runtime's layers, largest and least often changed first, so a new model rebuilds (and a registry receives)
   * only the last layers: libtorch, DJL's JNI library, JNA's stub, the jars, the entrypoint.
   */
  public static final List<Layer> RUNTIME_LAYERS = List.of(
      new Layer("libtorch", LIBTORCH_DIR, CONTAINER_HOME + "/" + LIBTORCH_DIR),
      new Layer("djl-jni", DJL_CACHE_DIR, CONTAINER_HOME + "/" + DJL_CACHE_DIR),
      new Layer("native", NATIVE_DIR, CONTAINER_HOME + "/" + NATIVE_DIR),
      new Layer("jars", LIB_DIR, CONTAINER_HOME + "/" + LIB_DIR),
      new Layer("entrypoint", BIN_DIR, CONTAINER_HOME + "/" + BIN_DIR));
  /**
   * The class-data-sharing archive, after the runtime: it holds classes, not the model, so it changes with the
   * runtime and the base image only.
   */
  public static final Layer CLASS_ARCHIVE_LAYER = new Layer("class-archive", CLASS_ARCHIVE_FILE,
      CONTAINER_CLASS_ARCHIVE_PATH);
  /** The model, its contract and its golden pairs (replayed at every start on the host's CPU). */
  public static final Layer MODEL_LAYER = new Layer("model", MODEL_DIR, SageMakerHosting.MODEL_DIRECTORY);
  /** The SBOM, last: it names the model. */
  public static final Layer SBOM_LAYER = new Layer("sbom", SBOM_FILE, CONTAINER_SBOM_PATH);

  /** The entrypoint's placeholders: {@code @NAME@}. */
  private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z_]+)@");

  private ContainerTemplate() {}

  /**
   * A stub image's layers: the runtime without libtorch and DJL's JNI library, then the model folder holding only
   * the contract and its golden pairs.
   */
  public static List<Layer> stubLayers() {
    List<Layer> layers = new ArrayList<>();
    for (Layer layer : RUNTIME_LAYERS) {
      if (!layer.contextPath().equals(LIBTORCH_DIR) && !layer.contextPath().equals(DJL_CACHE_DIR)) {
        layers.add(layer);
      }
    }
    layers.add(MODEL_LAYER);
    return List.copyOf(layers);
  }

  /**
   * The environment of a stub image's process: DJL offline (its classes load, its engine never does), and the stub
   * marker, so that a stub deployed by mistake as an endpoint (SageMaker runs {@code serve}) fails at once instead
   * of answering zeros.
   */
  public static Map<String, String> stubEnvironment(String modelName) {
    Map<String, String> environment = processEnvironment(modelName);
    environment.put(EnvironmentVariable.MODEL_CONTRACT_STUB_IMAGE.name(), "true");
    return environment;
  }

  /**
   * What every image's process needs: DJL offline, /tmp its only place to write, the model's name. The model
   * directory is left to the server, which serves a model KServe put in /mnt/models, else /opt/ml/model.
   */
  private static Map<String, String> processEnvironment(String modelName) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put(EnvironmentVariable.DJL_OFFLINE.name(), "true");
    environment.put(EnvironmentVariable.OPT_OUT_TRACKING.name(), "true");
    environment.put(EnvironmentVariable.DJL_CACHE_DIR.name(), CONTAINER_TMP + "/djl");
    environment.put(EnvironmentVariable.MODEL_CONTRACT_MODEL_NAME.name(), modelName);
    return environment;
  }

  /** The image's layers in order: the runtime's, then the archive and the model where the image has them, the SBOM. */
  public static List<Layer> layers(boolean withClassArchive, boolean withModel) {
    List<Layer> layers = new ArrayList<>(RUNTIME_LAYERS);
    if (withClassArchive) {
      layers.add(CLASS_ARCHIVE_LAYER);
    }
    if (withModel) {
      layers.add(MODEL_LAYER);
    }
    layers.add(SBOM_LAYER);
    return List.copyOf(layers);
  }

  /**
   * The environment of the serving process ({@code modelName}: its name on the Open Inference Protocol's routes). DJL
   * runs offline (no telemetry, no downloads) on the libtorch files
   * extracted at build time; nothing is written at start-up outside /tmp, so the container also runs with a
   * read-only root file system. A multi-model image ({@code multiModel}) holds no model and starts as a multi-model
   * endpoint whoever runs it, as SageMaker starts any image on one.
   */
  public static Map<String, String> environment(String modelName, String libtorchVersion, String libtorchFlavor,
      double goldenTolerance, boolean multiModel) {
    Map<String, String> environment = processEnvironment(modelName);
    environment.put(EnvironmentVariable.PYTORCH_LIBRARY_PATH.name(), CONTAINER_HOME + "/" + LIBTORCH_DIR);
    environment.put(EnvironmentVariable.PYTORCH_VERSION.name(), libtorchVersion);
    environment.put(EnvironmentVariable.PYTORCH_FLAVOR.name(), libtorchFlavor);
    environment.put(EnvironmentVariable.ENGINE_CACHE_DIR.name(), CONTAINER_HOME + "/" + DJL_CACHE_DIR);
    environment.put(EnvironmentVariable.MODEL_CONTRACT_GOLDEN_TOLERANCE.name(), Double.toString(goldenTolerance));
    if (multiModel) {
      environment.put(EnvironmentVariable.SAGEMAKER_MULTI_MODEL.name(), "true");
    }
    return environment;
  }

  /**
   * A serving image's labels: its title, the runtime version, the checksums of the contract and model it serves
   * ({@code null} checksums: an image without its model, which serves the model mounted at /opt/ml/model or the
   * models of a multi-model endpoint), and SageMaker's capabilities: every serving image serves a multi-model
   * endpoint when started as one, and binds to the port SageMaker names.
   */
  public static Map<String, String> labels(String title, String runtimeVersion, String contractSha256,
      String modelSha256) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("org.opencontainers.image.title", title);
    labels.put("dev.modelcontract.runtime.version", runtimeVersion);
    labels.put("dev.modelcontract.contract.sha256", contractSha256 == null ? "none: the model is mounted"
        : contractSha256);
    labels.put("dev.modelcontract.model.sha256", modelSha256 == null ? "none: the model is mounted" : modelSha256);
    labels.put(SageMakerHosting.MULTI_MODEL_LABEL, "true");
    labels.put(SageMakerHosting.BIND_TO_PORT_LABEL, "true");
    return labels;
  }

  /**
   * A stub image's labels: a serving image's for its contract, less the multi-model capability (a stub answers for
   * the one contract it holds).
   */
  public static Map<String, String> stubLabels(String title, String runtimeVersion, String contractSha256) {
    Map<String, String> labels = labels(title, runtimeVersion, contractSha256, null);
    labels.put("dev.modelcontract.model.sha256", "none: a stub, which answers without the model");
    labels.remove(SageMakerHosting.MULTI_MODEL_LABEL);
    return labels;
  }

  /**
   * The entrypoint script: {@code entrypoint.sh.template} with this layout's paths, the server's commands and its
   * main class filled in, so that none of them is written twice.
   */
  public static String entrypoint() {
    return fill(resource(ENTRYPOINT + ".template"), Map.of(
        "SERVE", ImageCommand.SERVE.argument(),
        "STUB", ImageCommand.STUB.argument(),
        "WARM_UP", ImageCommand.WARM_UP.argument(),
        "RECORD_CLASSES", RECORD_CLASSES,
        "LIB", CONTAINER_HOME + "/" + LIB_DIR,
        "NATIVE", CONTAINER_HOME + "/" + NATIVE_DIR,
        "CLASS_ARCHIVE", CONTAINER_CLASS_ARCHIVE_PATH,
        "TMP", CONTAINER_TMP,
        "MEMORY_PROPERTY", SageMakerHosting.MEMORY_PROPERTY,
        "MAIN_CLASS", Main.class.getName()));
  }

  /** Replaces every {@code @NAME@} of a template; a name without a value is a mistake in the template. */
  static String fill(String template, Map<String, String> values) {
    Matcher placeholder = PLACEHOLDER.matcher(template);
    StringBuilder filled = new StringBuilder();
    while (placeholder.find()) {
      String value = values.get(placeholder.group(1));
      if (value == null) {
        throw new IllegalStateException("the entrypoint template names " + placeholder.group()
            + ", which ContainerTemplate does not fill in");
      }
      placeholder.appendReplacement(filled, Matcher.quoteReplacement(value));
    }
    return placeholder.appendTail(filled).toString();
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
