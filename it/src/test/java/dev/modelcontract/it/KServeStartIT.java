package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.image.ModelArchive;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.hosting.KServeHosting;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.GoldenReplay;
import java.lang.reflect.Array;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The example's serving image started as KServe starts a custom predictor: no argument, the model its storage
 * initializer downloaded (the build's model.tar.gz, extracted) mounted read-only at /mnt/models, MODEL_CONTRACT_MODEL_DIR unset, ready when
 * {@code /v2/health/ready} says so; then called over the Open Inference Protocol.
 */
class KServeStartIT {

  private static final String IMAGE = System.getProperty("example.image", "lstm-two-inputs:1.0.0");
  private static final Path EXAMPLE = Path.of(System.getProperty("examples.dir", "../examples"), "lstm-two-inputs");
  /** The example repo's artifactId, which the build states as the model's name. */
  private static final String NAME = "lstm-two-inputs";
  private static final int PORT = 8080;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The archive the example's invoker run built: what a STORAGE_URI would point KServe at. */
  private static final Path ARCHIVE = ModelArchiveIT.EXAMPLE_BUILD.resolve(ModelArchive.FILE_NAME);

  @TempDir
  Path mnt;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void startedWithNoArgumentAndTheModelInMntModelsItServesTheOpenInferenceProtocol() throws Exception {
    // A bind on the create command itself, as SageMakerContainer mounts /opt/ml/model: Testcontainers'
    // withFileSystemBind first runs an alpine image, which cannot be pulled where no registry is reachable.
    Path models = mnt.resolve("models");
    ModelArchive.extract(ARCHIVE, models);
    Bind model = new Bind(models.toAbsolutePath().toString(),
        new Volume(KServeHosting.MODEL_DIRECTORY), AccessMode.ro);
    ToStringConsumer log = new ToStringConsumer();
    try (GenericContainer<?> container = new GenericContainer<>(IMAGE)
        .withCommand() // KServe passes no argument
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(model))
        .withExposedPorts(PORT)
        .withLogConsumer(log)
        .waitingFor(Wait.forHttp("/v2/health/ready").forPort(PORT).forStatusCode(200)
            .withStartupTimeout(Duration.ofSeconds(90)))) {
      container.start();
      URI endpoint = URI.create("http://" + container.getHost() + ":" + container.getMappedPort(PORT));

      assertThat(log.toUtf8String()).as("the model served is the one in /mnt/models, its golden pairs replayed")
          .contains("golden pairs: 3 checks, 0 failed")
          .contains("model " + KServeHosting.MODEL_DIRECTORY + " ready");
      assertThat(get(endpoint, "/v2/health/live").statusCode()).isEqualTo(200);

      HttpResponse<byte[]> metadata = get(endpoint, "/v2/models/" + NAME);
      assertThat(metadata.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(metadata.body())).isEqualTo(JSON.readTree("{\"name\":\"" + NAME + "\","
          + "\"platform\":\"pytorch_torchscript\","
          + "\"inputs\":[{\"name\":\"input_1\",\"datatype\":\"FP32\",\"shape\":[-1,-1,4]},"
          + "{\"name\":\"input_2\",\"datatype\":\"FP32\",\"shape\":[-1,-1,2]}],"
          + "\"outputs\":[{\"name\":\"output_1\",\"datatype\":\"FP32\",\"shape\":[-1,1]},"
          + "{\"name\":\"output_2\",\"datatype\":\"FP32\",\"shape\":[-1,3]}]}"));
      assertThat(get(endpoint, "/v2/models/other").statusCode()).isEqualTo(404);

      for (GoldenCase golden : GoldenCase.loadAll(EXAMPLE.resolve("golden"))) {
        HttpResponse<byte[]> infer = http.send(HttpRequest.newBuilder(endpoint.resolve("/v2/models/" + NAME
            + "/infer")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(openInference(golden))).build(),
            HttpResponse.BodyHandlers.ofByteArray());

        assertThat(infer.statusCode()).as(golden.name()).isEqualTo(200);
        JsonNode answer = JSON.readTree(infer.body());
        assertThat(answer.get("model_name").asString()).isEqualTo(NAME);
        assertThat(answer.get("id").asString()).isEqualTo(golden.name());
        assertThat(TensorComparison.differences(golden.response(), outputs(answer),
            GoldenReplay.DEFAULT_TOLERANCE)).as(golden.name()).isEmpty();
      }
    }
  }

  /** A golden request in the Open Inference Protocol's form: each input flat, with its shape. */
  private static byte[] openInference(GoldenCase golden) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("id", golden.name());
    ArrayNode inputs = body.putArray("inputs");
    golden.request(new JsonTensorReader()).forEach((name, tensor) -> {
      ObjectNode input = inputs.addObject().put("name", name).put("datatype", "FP32");
      ArrayNode shape = input.putArray("shape");
      for (long size : tensor.shape()) {
        shape.add(size);
      }
      ArrayNode data = input.putArray("data");
      Object values = tensor.array(); // the golden files' numbers, read as they are written (double or float)
      for (int i = 0; i < Array.getLength(values); i++) {
        data.add(((Number) Array.get(values, i)).doubleValue());
      }
    });
    return JSON.writeValueAsBytes(body);
  }

  private static Map<String, Tensor> outputs(JsonNode answer) {
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    for (JsonNode output : answer.get("outputs")) {
      outputs.put(output.get("name").asString(), Tensor.of(JSON.treeToValue(output.get("shape"), long[].class),
          JSON.treeToValue(output.get("data"), float[].class)));
    }
    return outputs;
  }

  private HttpResponse<byte[]> get(URI endpoint, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(endpoint.resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
