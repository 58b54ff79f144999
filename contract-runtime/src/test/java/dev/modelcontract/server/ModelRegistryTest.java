package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.inference.ExampleModel;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A multi-model endpoint's names as both route families resolve them ({@link ServedModels}): not found (404) until
 * claimed, not ready (503) while loading and unloading, the model itself only in between.
 */
class ModelRegistryTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ServerMetrics metrics = new ServerMetrics(() -> 0, () -> 0, java.util.Map::of);
  private final DecodePool decoders = new DecodePool(1);

  @AfterEach
  void close() {
    decoders.close();
  }

  @Test
  void aNameIsNotFoundThenLoadingThenServedThenUnloadingThenNotFoundAgain() throws Exception {
    ModelRegistry registry = new ModelRegistry();
    assertRefused(registry, "m", 404, "not-found");

    assertThat(registry.claim("m", "/opt/ml/models/m/model")).isTrue();
    assertThat(registry.find("m")).isEqualTo(new ModelRegistry.Entry("m", ModelRegistry.State.LOADING,
        "/opt/ml/models/m/model", null));
    assertThat(assertRefused(registry, "m", 503, "model-loading").get("detail").asString()).contains("loading");
    assertThat(registry.claim("m", "/elsewhere")).as("a name loading is taken").isFalse();

    LoadedModel model = stubModel("m");
    registry.publish(model);
    assertThat(registry.serving("m")).isSameAs(model);
    assertThat(registry.find("m").state()).isEqualTo(ModelRegistry.State.READY);
    assertThat(registry.published()).containsExactly(model);

    assertThat(registry.withdraw("m")).isSameAs(model);
    assertThat(registry.withdraw("m")).as("withdrawn once").isNull();
    assertThat(registry.find("m").state()).isEqualTo(ModelRegistry.State.UNLOADING);
    assertThat(assertRefused(registry, "m", 503, "model-loading").get("detail").asString()).contains("unloading");
    assertThat(registry.published()).isEmpty();
    assertThat(registry.claim("m", "/elsewhere")).as("a name unloading is taken").isFalse();
    model.close(Duration.ZERO);

    registry.release("m");
    assertThat(assertRefused(registry, "m", 404, "not-found").get("model").asString()).isEqualTo("m");
    assertThat(registry.find("m")).isNull();
  }

  @Test
  void aModelWhoseUnloadBeganRefusesARequestFoundBeforeWith503() throws Exception {
    LoadedModel model = stubModel("late");
    model.close(Duration.ZERO);

    assertThatThrownBy(() -> model.serve(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
        "/v2/models/late/infer", Unpooled.EMPTY_BUFFER), "/v2/models/late/infer", true))
        .isInstanceOfSatisfying(RequestRefused.class, refused -> {
          assertThat(refused.response().status()).isEqualTo(503);
          assertThat(refused.getMessage()).contains("late is unloading");
        });
    assertThat(new String(metrics.scrape())).as("a request refused before it started is not counted")
        .doesNotContain("model=\"late\"");
  }

  /** The house-prices contract answered by a stand-in, with one inference thread. */
  private LoadedModel stubModel(String name) throws Exception {
    ContractModel model = ContractModel.withoutModel(new ContractReader().read(ExampleModel.HOUSE_PRICES.modelDir()
        .resolve(ContractReader.FILE_NAME)), request -> Map.of());
    InferenceQueue queue = new InferenceQueue(model, 1, ServerConfig.Batching.OFF, 8, metrics);
    InvocationsHandler invocations = new InvocationsHandler(() -> model, () -> queue, 1 << 20, false, decoders,
        Optional.of(name));
    return new LoadedModel(name, "/opt/ml/models/" + name + "/model", model, queue, invocations, 0, metrics);
  }

  private static JsonNode assertRefused(ModelRegistry registry, String name, int status, String slug) {
    try {
      registry.serving(name);
    } catch (RequestRefused e) {
      Responses.Response response = e.response();
      assertThat(response.status()).isEqualTo(status);
      JsonNode problem = JSON.readTree(response.body());
      assertThat(problem.get("type").asString()).isEqualTo(ProblemType.TYPE_BASE + slug);
      return problem;
    }
    throw new AssertionError(name + " was served; expected " + status + " " + slug);
  }
}
