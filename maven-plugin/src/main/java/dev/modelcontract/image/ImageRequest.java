package dev.modelcontract.image;

import dev.modelcontract.container.ContainerTemplate;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.hosting.KServeHosting;
import dev.modelcontract.validation.GoldenReplay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a serving image is built from. Made by {@link #builder()}, whose {@link Builder#build()} checks that every
 * required value is set; immutable, so a changed copy starts from {@link #toBuilder()}.
 */
public final class ImageRequest {

  private final Path modelDirectory;
  private final ModelContract contract;
  private final Path goldenDirectory;
  private final double goldenTolerance;
  private final List<RuntimeJar> runtimeJars;
  private final String runtimeVersion;
  private final String baseImage;
  private final String imageName;
  private final Path contextDirectory;
  private final Path modelArchive;
  private final Path sbom;
  private final ImageTarget target;
  private final boolean includeModel;
  private final boolean multiModel;
  private final String user;
  private final String modelName;

  private ImageRequest(Builder builder) {
    modelDirectory = builder.modelDirectory;
    contract = builder.contract;
    goldenDirectory = builder.goldenDirectory != null ? builder.goldenDirectory
        : modelDirectory.resolveSibling("golden");
    goldenTolerance = builder.goldenTolerance;
    runtimeJars = List.copyOf(builder.runtimeJars);
    runtimeVersion = builder.runtimeVersion;
    baseImage = builder.baseImage;
    imageName = builder.imageName;
    contextDirectory = builder.contextDirectory;
    modelArchive = builder.modelArchive;
    sbom = builder.sbom;
    target = builder.target;
    includeModel = builder.includeModel && !builder.multiModel;
    multiModel = builder.multiModel;
    user = builder.user;
    modelName = builder.modelName != null ? builder.modelName : contract.defaultName();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    return builder().model(modelDirectory, contract).goldenPairs(goldenDirectory, goldenTolerance)
        .runtime(runtimeJars, runtimeVersion).baseImage(baseImage).imageName(imageName)
        .contextDirectory(contextDirectory).modelArchive(modelArchive).sbom(sbom).target(target)
        .includeModel(includeModel).multiModel(multiModel).user(user).modelName(modelName);
  }

  /**
   * The request for this image's stub: named {@code name}, staged in {@code stub-image} beside this context, sent
   * where this image goes (a tar as {@code stub-image.tar} beside this one), without the model.
   */
  public ImageRequest forStub(String name) {
    ImageTarget stubTarget = target.tarFile() == null ? target : new ImageTarget(target.kind(),
        target.tarFile().resolveSibling("stub-image.tar"), target.allowInsecureRegistries());
    return toBuilder().imageName(name).contextDirectory(contextDirectory.resolveSibling("stub-image"))
        .target(stubTarget).includeModel(false).multiModel(false).build();
  }

  public Path modelDirectory() {
    return modelDirectory;
  }

  public ModelContract contract() {
    return contract;
  }

  /** The model's name on the Open Inference Protocol's routes; by default the contract's model file's name. */
  public String modelName() {
    return modelName;
  }

  public Path contractFile() {
    return modelDirectory.resolve(ContractReader.FILE_NAME);
  }

  public Path modelFile() {
    return modelDirectory.resolve(contract.model().file());
  }

  /** The golden pairs the image replays at every start (a folder that does not exist holds none). */
  public Path goldenDirectory() {
    return goldenDirectory;
  }

  /** The allowed difference per value, relative to {@code 1 + |expected|}. */
  public double goldenTolerance() {
    return goldenTolerance;
  }

  public List<RuntimeJar> runtimeJars() {
    return runtimeJars;
  }

  public String runtimeVersion() {
    return runtimeVersion;
  }

  public String baseImage() {
    return baseImage;
  }

  public String imageName() {
    return imageName;
  }

  public Path contextDirectory() {
    return contextDirectory;
  }

  public Path modelArchive() {
    return modelArchive;
  }

  public Path sbom() {
    return sbom;
  }

  public ImageTarget target() {
    return target;
  }

  public boolean includeModel() {
    return includeModel;
  }

  /**
   * Whether the image is a multi-model image: without the model, started as a multi-model endpoint (the models it
   * serves are loaded through {@code POST /models}).
   */
  public boolean multiModel() {
    return multiModel;
  }

  public String user() {
    return user;
  }

  private List<Object> values() {
    return Arrays.asList(modelDirectory, contract, goldenDirectory, goldenTolerance, runtimeJars, runtimeVersion,
        baseImage, imageName, contextDirectory, modelArchive, sbom, target, includeModel, multiModel, user, modelName);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ImageRequest request && values().equals(request.values());
  }

  @Override
  public int hashCode() {
    return values().hashCode();
  }

  /**
   * Builds an {@link ImageRequest}. Required: {@link #model}, {@link #runtime}, {@link #baseImage},
   * {@link #imageName}, {@link #contextDirectory}, {@link #modelArchive}, {@link #sbom}; the other methods name
   * their defaults.
   */
  public static final class Builder {

    private Path modelDirectory;
    private ModelContract contract;
    private Path goldenDirectory;
    private double goldenTolerance = GoldenReplay.DEFAULT_TOLERANCE;
    private List<RuntimeJar> runtimeJars;
    private String runtimeVersion;
    private String baseImage;
    private String imageName;
    private Path contextDirectory;
    private Path modelArchive;
    private Path sbom;
    private ImageTarget target = ImageTarget.docker();
    private boolean includeModel = true;
    private boolean multiModel;
    private String user = ContainerTemplate.DEFAULT_USER;
    private String modelName;

    private Builder() {}

    /** The model's name on the Open Inference Protocol's routes ({@code /v2/models/NAME}); the build's artifactId. */
    public Builder modelName(String modelName) {
      this.modelName = modelName;
      return this;
    }

    /** The folder holding the contract and the model file, and the contract read from it. */
    public Builder model(Path directory, ModelContract contract) {
      this.modelDirectory = directory;
      this.contract = contract;
      return this;
    }

    /**
     * The golden pairs the image replays at every start (a folder that does not exist holds none) and the allowed
     * difference per value, relative to {@code 1 + |expected|}; by default {@code golden} beside the model folder
     * and the runtime's default tolerance.
     */
    public Builder goldenPairs(Path directory, double tolerance) {
      this.goldenDirectory = directory;
      this.goldenTolerance = tolerance;
      return this;
    }

    /** The jars of contract-runtime and its dependencies, and the version of contract-runtime among them. */
    public Builder runtime(List<RuntimeJar> jars, String version) {
      this.runtimeJars = jars;
      this.runtimeVersion = version;
      return this;
    }

    /**
     * An image with a Java 17+ runtime on glibc 2.29+ and a /bin/sh: {@code docker://NAME} in the local engine,
     * {@code tar://PATH}, or a registry image.
     */
    public Builder baseImage(String baseImage) {
      this.baseImage = baseImage;
      return this;
    }

    /** The name to build, e.g. {@code lstm-two-inputs:1.0.0}. */
    public Builder imageName(String imageName) {
      this.imageName = imageName;
      return this;
    }

    /** Where the build context is staged; emptied first. */
    public Builder contextDirectory(Path contextDirectory) {
      this.contextDirectory = contextDirectory;
      return this;
    }

    /** Where the model directory is written as SageMaker's model.tar.gz. */
    public Builder modelArchive(Path modelArchive) {
      this.modelArchive = modelArchive;
      return this;
    }

    /** Where the image's CycloneDX SBOM is written (the image holds a copy). */
    public Builder sbom(Path sbom) {
      this.sbom = sbom;
      return this;
    }

    /** Where the image goes; by default the local Docker engine. */
    public Builder target(ImageTarget target) {
      this.target = target;
      return this;
    }

    /**
     * Whether the model is copied into the image; by default it is. Without it the image serves the model mounted
     * at /opt/ml/model, where SageMaker extracts the model.tar.gz of ModelDataUrl.
     */
    public Builder includeModel(boolean includeModel) {
      this.includeModel = includeModel;
      return this;
    }

    /**
     * Whether to build a multi-model image; by default not. Such an image holds no model (whatever
     * {@link #includeModel} says) and starts as a multi-model endpoint, loading the model.tar.gz archives this build
     * writes through {@code POST /models}; every serving image does so where SageMaker starts it as one.
     */
    public Builder multiModel(boolean multiModel) {
      this.multiModel = multiModel;
      return this;
    }

    /** The user the image runs as; by default root, as SageMaker expects; e.g. {@code 65534:65534} for non-root. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** @throws IllegalStateException naming every required value that is not set */
    public ImageRequest build() {
      List<String> missing = new ArrayList<>();
      check(modelDirectory != null && contract != null, "model(directory, contract)", missing);
      check(runtimeJars != null && runtimeVersion != null, "runtime(jars, version)", missing);
      check(baseImage != null, "baseImage", missing);
      check(imageName != null, "imageName", missing);
      check(contextDirectory != null, "contextDirectory", missing);
      check(modelArchive != null, "modelArchive", missing);
      check(sbom != null, "sbom", missing);
      check(target != null && user != null, "target and user (they may not be null)", missing);
      if (!missing.isEmpty()) {
        throw new IllegalStateException("the image request lacks " + String.join(", ", missing)
            + ": set them on ImageRequest.builder() before build()");
      }
      if (target.kind() == ImageTarget.Kind.TAR && target.tarFile() == null) {
        throw new IllegalStateException("the image request's target is a tar file but names no path: give it one"
            + " with new ImageTarget(Kind.TAR, path, allowInsecureRegistries)");
      }
      if (modelName != null && !KServeHosting.isModelName(modelName)) {
        throw new IllegalArgumentException("the model name '" + modelName + "' is no name of "
            + KServeHosting.MODEL_NAME_RULE + ", which a path segment of /v2/models/NAME must be: perhaps you should"
            + " set <modelName> to one");
      }
      return new ImageRequest(this);
    }

    private static void check(boolean set, String what, List<String> missing) {
      if (!set) {
        missing.add(what);
      }
    }
  }
}
