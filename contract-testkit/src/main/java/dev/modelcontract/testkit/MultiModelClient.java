package dev.modelcontract.testkit;

import dev.modelcontract.contract.ModelContract;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client of a SageMaker multi-model endpoint's /models API (a container started with
 * {@code SAGEMAKER_MULTI_MODEL=true}): load, describe, list and unload models, each call answered as it came, refusals
 * included, and a {@link ContractClient} for each loaded model's invoke route.
 *
 * <pre>{@code
 * MultiModelClient models = new MultiModelClient(endpoint);
 * models.load("house-prices", "/opt/ml/models/house-prices/model");   // 200, 409, 422 or 507
 * Map<String, Tensor> prices = models.model("house-prices", contract).request()
 *     .with("features", houses)
 *     .invoke();
 * models.unload("house-prices");
 * }</pre>
 */
public final class MultiModelClient {

  static final String MODELS = "/models";
  static final String INVOKE = "/invoke";

  /**
   * How long a load or an unload may take: a load reads the model and replays its golden pairs, an unload waits for
   * the model's requests in progress (the server's drain timeout, 25 s by default).
   */
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI endpoint;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** @param endpoint the endpoint's base URI, e.g. {@code http://localhost:32768} */
  public MultiModelClient(URI endpoint) {
    this.endpoint = endpoint;
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * {@code POST /models}: loads the model directory at {@code url}, as the server sees it (SageMaker passes
   * {@code /opt/ml/models/NAME/model}), under a name: 200 once it serves, else 409 (the name is taken), 422 (it
   * cannot be served) or 507 (it does not fit the endpoint's memory budget).
   */
  public Answer load(String name, String url) {
    ObjectNode body = JSON.createObjectNode().put("model_name", name).put("url", url);
    return Exchange.send(http, HttpRequest.newBuilder(endpoint.resolve(MODELS)).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
  }

  /** {@code GET /models/NAME}: {@code {"modelName", "modelUrl"}}, or 404 where no such model is loaded. */
  public Answer describe(String name) {
    return Exchange.send(http, HttpRequest.newBuilder(modelUri(endpoint, name, "")).timeout(TIMEOUT).GET().build());
  }

  /** {@code GET /models}: the first page of the loaded models, {@code {"models": [...], "nextPageToken"}}. */
  public Answer list() {
    return Exchange.send(http, HttpRequest.newBuilder(endpoint.resolve(MODELS)).timeout(TIMEOUT).GET().build());
  }

  /**
   * {@code GET /models?limit=N&next_page_token=T}: a page of at most {@code limit} models after the page that gave the
   * token.
   *
   * @param nextPageToken the previous page's {@code nextPageToken}; null for the first page
   */
  public Answer list(int limit, String nextPageToken) {
    String query = "?limit=" + limit + (nextPageToken == null ? "" : "&next_page_token="
        + URLEncoder.encode(nextPageToken, StandardCharsets.UTF_8));
    return Exchange.send(http, HttpRequest.newBuilder(endpoint.resolve(MODELS + query)).timeout(TIMEOUT).GET()
        .build());
  }

  /** {@code DELETE /models/NAME}: 200 once its requests in progress are answered, or 404 where it is not loaded. */
  public Answer unload(String name) {
    return Exchange.send(http, HttpRequest.newBuilder(modelUri(endpoint, name, "")).timeout(TIMEOUT).DELETE()
        .build());
  }

  /** A client of a loaded model's {@code /models/NAME/invoke}. */
  public ContractClient model(String name, ModelContract contract) {
    return ContractClient.onMultiModelEndpoint(endpoint, contract, name);
  }

  /**
   * {@code /models/NAME} followed by {@code tail}, the name encoded as one path segment (a space as {@code %20}, not
   * {@code +}, which the server would read as a space too).
   */
  static URI modelUri(URI endpoint, String name, String tail) {
    String segment = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    return endpoint.resolve(MODELS + "/" + segment + tail);
  }
}
