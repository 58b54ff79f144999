package dev.modelcontract.testkit;

import dev.modelcontract.hosting.EnvironmentVariable;
import dev.modelcontract.hosting.SageMakerHosting;
import java.nio.file.Path;
import org.testcontainers.utility.DockerImageName;

/**
 * A serving image started as a SageMaker multi-model endpoint starts it: {@code docker run IMAGE serve} with
 * {@code SAGEMAKER_MULTI_MODEL=true}, port 8080, the models' archives extracted under /opt/ml/models (each in
 * {@code NAME/model}, the {@code url} its load names); ready once GET /ping answers 200, which it does with no model
 * loaded. Models are then loaded through its /models API ({@link MultiModelClient}).
 */
public class MultiModelContainer extends SageMakerContainer {

  public MultiModelContainer(String image) {
    this(DockerImageName.parse(image));
  }

  public MultiModelContainer(DockerImageName image) {
    super(image);
    withEnv(EnvironmentVariable.SAGEMAKER_MULTI_MODEL.name(), "true");
  }

  /**
   * Mounts a folder read-only at /opt/ml/models, as SageMaker extracts the archives it loads there: each model in
   * {@code FOLDER/NAME/model} ({@link #modelDirectory}), loaded from {@link #modelUrl}.
   */
  public MultiModelContainer withModels(Path modelsFolder) {
    withReadOnlyBind(modelsFolder, SageMakerHosting.MODELS_DIRECTORY);
    return this;
  }

  /** The memory the loaded models may take together ({@code MODEL_CONTRACT_MODELS_MEMORY_BYTES}), else 507. */
  public MultiModelContainer withModelsMemoryBytes(long bytes) {
    withEnv(EnvironmentVariable.MODEL_CONTRACT_MODELS_MEMORY_BYTES.name(), Long.toString(bytes));
    return this;
  }

  /** Where a model's archive is extracted in the folder {@link #withModels} mounts: {@code FOLDER/NAME/model}. */
  public static Path modelDirectory(Path modelsFolder, String name) {
    return modelsFolder.resolve(name).resolve("model");
  }

  /** The {@code url} that loads a model of the mounted folder, as SageMaker passes it: /opt/ml/models/NAME/model. */
  public static String modelUrl(String name) {
    return SageMakerHosting.MODELS_DIRECTORY + "/" + name + "/model";
  }
}
