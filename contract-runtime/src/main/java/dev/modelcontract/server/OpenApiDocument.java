package dev.modelcontract.server;

import dev.modelcontract.contract.ModelContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI 3.1 description of a serving image's HTTP API, derived from the server's own registries so that it says
 * what the server does: every route it serves ({@link Routes}) with an operation id, and on every route the problems
 * it may answer, by status ({@link ProblemType}). A single-model server's document ({@link #of}) describes its bodies
 * by its contract (JSON Schemas 2020-12, tensors as nested arrays bounded by the contract's dims); a multi-model
 * endpoint's ({@link #multiModel}) describes its /models routes, and its bodies by their form, since its models'
 * contracts are known only once they are loaded ({@link OpenApiModels}).
 */
public final class OpenApiDocument {

  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final OpenApiModels models;

  private OpenApiDocument(OpenApiModels models) {
    this.models = models;
  }

  /** The document of a model served under its default name ({@link ModelContract#defaultName()}). */
  public static OpenApiDocument of(ModelContract contract) {
    return of(contract, contract.defaultName());
  }

  /** @param modelName the model's name on the Open Inference Protocol's routes (MODEL_CONTRACT_MODEL_NAME) */
  public static OpenApiDocument of(ModelContract contract, String modelName) {
    return new OpenApiDocument(new SingleModelOpenApi(contract, modelName));
  }

  /** The document of a multi-model endpoint ({@code SAGEMAKER_MULTI_MODEL=true}), whatever models it loads. */
  public static OpenApiDocument multiModel() {
    return new OpenApiDocument(new MultiModelOpenApi());
  }

  /** The document as JSON. */
  public String json(String title, String version) {
    return JSON.writeValueAsString(document(title, version)) + "\n";
  }

  /** The document. */
  public ObjectNode document(String title, String version) {
    ObjectNode document = OpenApiParts.frame(title, version, models.description());
    ObjectNode paths = document.putObject("paths");
    for (String route : models.routes()) {
      ObjectNode path = paths.putObject(route);
      switch (route) {
        case Routes.PING -> OpenApiParts.readable(path, "ping", "Health: " + models.readiness(), this::health);
        case Routes.EXECUTION_PARAMETERS -> OpenApiParts.readable(path, "executionParameters", "What a SageMaker"
            + " batch transform job should send at once", responses -> OpenApiParts.json(OpenApiParts.response(
            responses, 200, "SageMaker batch transform's execution parameters"), ExecutionParameters.schema()));
        case Routes.METRICS -> OpenApiParts.readable(path, "metrics", "Prometheus metrics", responses -> OpenApiParts
            .response(responses, 200, "the server's metrics").putObject("content")
            .putObject(ServerMetrics.CONTENT_TYPE).set("schema", OpenApiParts.text("Prometheus' text format")));
        default -> OpenInferenceRoute.ofTemplate(route).ifPresentOrElse(served -> openInference(path, served),
            () -> models.route(path, route));
      }
    }
    OpenApiParts.components(document);
    return document;
  }

  /** An Open Inference Protocol route: its refusals are problems with the protocol's {@code error} member. */
  private void openInference(ObjectNode path, OpenInferenceRoute route) {
    List<ProblemType> refusals = OpenApiParts.openInferenceReadable();
    String error = OpenApiParts.OPEN_INFERENCE_ERROR;
    switch (route) {
      case LIVE -> OpenApiParts.readable(path, "serverLive", "Open Inference Protocol: 200 while the server serves",
          responses -> flag(responses, "live", "the server serves"), error, refusals);
      case READY -> OpenApiParts.readable(path, "serverReady", "Open Inference Protocol: " + models.readiness()
          + " (as /ping)", responses -> flag(responses, "ready", "the server is ready"), error, refusals);
      case SERVER_METADATA -> OpenApiParts.readable(path, "serverMetadata", "Open Inference Protocol: the server's"
          + " name, version and extensions (none)", this::serverMetadata, error, refusals);
      case MODEL_METADATA -> OpenApiParts.readable(path, "modelMetadata", "Open Inference Protocol: the model's inputs"
          + " and outputs from its contract, -1 for a dynamic dim", responses -> OpenApiParts.json(OpenApiParts
          .response(responses, 200, "the model's metadata, from its contract"), models.metadata()), error, refusals);
      case MODEL_READY -> OpenApiParts.readable(path, "modelReady", "Open Inference Protocol: 200 while the model is"
          + " ready; 503 while it loads (or unloads) and once the server drains; 404 for a model not served",
          responses -> {
            ObjectNode schema = OpenApiParts.flagSchema("ready");
            ((ObjectNode) schema.get("properties")).set("name", models.answeredName());
            ((ArrayNode) schema.get("required")).add("name");
            OpenApiParts.json(OpenApiParts.response(responses, 200, "the model is ready"), schema);
          }, error, refusals);
      case INFER -> path.set("post", infer());
    }
    if (route.template().contains("{model_name}")) {
      OpenApiParts.modelName(path, models.modelNameDescription(), models.modelName());
    }
  }

  /** POST /v2/models/{model_name}/infer: the protocol's request form only, answered as /invocations answers it. */
  private ObjectNode infer() {
    ObjectNode post = TensorSchemas.NODES.objectNode().put("operationId", "modelInfer")
        .put("summary", "Open Inference Protocol: run the model on a request that meets the contract")
        .put("description", "The body is the protocol's JSON request; the answer is exactly what POST /invocations"
            + " answers it with. A body in another form is answered 400, another Content-Type 415 (a missing one is"
            + " read as application/json).");
    post.putArray("parameters").add(OpenApiParts.contentEncoding());
    post.putObject("requestBody").put("required", true).putObject("content").putObject(MediaTypes.JSON)
        .set("schema", models.inferRequest());
    ObjectNode responses = post.putObject("responses");
    OpenApiParts.json(OpenApiParts.response(responses, 200, "the outputs"), models.inferAnswer());
    OpenApiParts.problems(responses, OpenApiParts.with(ProblemType.answeredOn(true), ProblemType.NOT_FOUND),
        OpenApiParts.OPEN_INFERENCE_ERROR);
    OpenApiParts.inStatusOrder(responses);
    return post;
  }

  /** {@code {NAME: true}}, 200. */
  private static void flag(ObjectNode responses, String name, String description) {
    OpenApiParts.json(OpenApiParts.response(responses, 200, description), OpenApiParts.flagSchema(name));
  }

  private void serverMetadata(ObjectNode responses) {
    ObjectNode schema = TensorSchemas.object();
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("name").put("const", OpenInferenceMetadata.SERVER_NAME);
    properties.putObject("version").put("type", "string");
    properties.putObject("extensions").put("type", "array").put("maxItems", 0);
    schema.putArray("required").add("name").add("version").add("extensions");
    OpenApiParts.json(OpenApiParts.response(responses, 200, "the server's metadata"), schema);
  }

  /** {@code {"status": …}}, by the status of each state the server's /ping answers in. */
  private void health(ObjectNode responses) {
    Map<Integer, List<String>> byStatus = new TreeMap<>();
    for (Health health : models.health()) {
      byStatus.computeIfAbsent(health.status(), status -> new ArrayList<>()).add(health.word());
    }
    byStatus.forEach((status, words) -> {
      ObjectNode schema = TensorSchemas.object();
      words.forEach(schema.putObject("properties").putObject("status").putArray("enum")::add);
      schema.putArray("required").add("status");
      OpenApiParts.json(OpenApiParts.response(responses, status, "the server is " + String.join(" or ", words)),
          schema);
    });
  }

  /**
   * Every JSON request form this contract can be sent in: the inputs by name at the top level, under {@code inputs},
   * as TensorFlow Serving's {@code instances} (batched contracts), or as the Open Inference Protocol's list.
   */
  public ObjectNode requestSchema() {
    return single().requestSchema();
  }

  /** Every JSON answer: to each request form, its outputs wrapped as the request was. */
  public ObjectNode answerSchema() {
    return single().answerSchema();
  }

  /** The JSON answer to the named form: every output by name. */
  public ObjectNode responseSchema() {
    return single().responseSchema();
  }

  /**
   * What in a JSON answer to the named form disagrees with {@link #responseSchema()}, as networknt's validator
   * words it; empty when it agrees.
   */
  public List<String> responseProblems(byte[] body) {
    return single().responseProblems(body);
  }

  /** The contract's schemas, which only a single-model server's document has. */
  private SingleModelOpenApi single() {
    if (models instanceof SingleModelOpenApi single) {
      return single;
    }
    throw new IllegalStateException("a multi-model endpoint's document has no contract's schemas: its models'"
        + " contracts are known once they are loaded");
  }
}
