package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.image.ModelArchive;
import dev.modelcontract.testkit.SageMakerContainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;

/**
 * SageMaker's way of shipping a model: the model.tar.gz the example's build wrote (invoker run of
 * examples/lstm-two-inputs), extracted and mounted at /opt/ml/model of the image built without a model (invoker run
 * of src/it/model-less), answers every golden request with the same bytes as the image with the model baked in.
 */
class ModelArchiveIT {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
  /** What the invoker run of examples/lstm-two-inputs built (in its clone of the example). */
  static final Path EXAMPLE_BUILD = Path.of("target/it/examples/lstm-two-inputs/target/model-contract");
  private static final String BAKED = "lstm-two-inputs:1.0.0";
  private static final String MODEL_LESS = "model-contract-it/model-less:latest";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path temp;

  @Test
  void theArchiveMountedIntoTheModelLessImageAnswersAsTheBakedImage() throws Exception {
    Path model = temp.resolve("opt-ml-model");
    ModelArchive.extract(EXAMPLE_BUILD.resolve(ModelArchive.FILE_NAME), model);
    assertThat(model.resolve("model-contract.yaml")).exists();
    assertThat(model.resolve("model.pt")).exists();
    assertThat(model.resolve("golden/batched.json")).exists();
    List<GoldenCase> golden = GoldenCase.loadAll(EXAMPLES.resolve("lstm-two-inputs/golden"));

    List<byte[]> baked = new ArrayList<>();
    try (SageMakerContainer container = new SageMakerContainer(BAKED)) {
      container.start();
      for (GoldenCase pair : golden) {
        baked.add(answer(container.getInvocationsUri(), pair));
      }
    }
    try (SageMakerContainer container = new SageMakerContainer(MODEL_LESS).withModel(model)) {
      container.start();
      for (int i = 0; i < golden.size(); i++) {
        assertThat(answer(container.getInvocationsUri(), golden.get(i))).as(golden.get(i).name())
            .isEqualTo(baked.get(i));
      }
      assertThat(ImageShell.run(container, "echo /opt/ml/model/*")).contains("model.pt");
    }
  }

  @Test
  void theModelLessImageWithoutAModelSaysWhereOneGoes() {
    ToStringConsumer log = new ToStringConsumer();
    try (GenericContainer<?> container = new GenericContainer<>(MODEL_LESS).withCommand("serve")
        .withLogConsumer(log)
        .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
      assertThatThrownBy(container::start).as("nothing serves without a model: it exits non-zero");
    }
    assertThat(log.toUtf8String())
        .contains("there is no model in /opt/ml/model")
        .contains("model.tar.gz")
        .doesNotContain("Exception");
  }

  private byte[] answer(URI invocations, GoldenCase pair) throws Exception {
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(invocations)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(pair.requestBody())).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(pair.name()).isEqualTo(200);
    return response.body();
  }
}
