package dev.modelcontract.server;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.hosting.SageMakerHosting;
import dev.modelcontract.tensors.JsonForm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI 3.1 description of a serving image's HTTP API, derived from its contract and from the server's own
 * registries, so that it says what the server does: every route ({@link Routes}) with an operation id; for
 * {@code POST /invocations} every request media type the contract can be sent in and every answer type
 * ({@link BodyFormats}), and for JSON every request form with the answer it gets ({@link JsonFormSchemas}, as JSON
 * Schemas 2020-12, tensors as nested arrays bounded by the contract's dims); and on every route the problems it may
 * answer, by status ({@link ProblemType}).
 */
public final class OpenApiDocument {

  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
  private static final String PROBLEM = "#/components/schemas/Problem";
  private static final String OPEN_INFERENCE_ERROR = "#/components/schemas/OpenInferenceError";

  private final ModelContract contract;
  private final BodyFormats formats;
  private final JsonFormSchemas forms;
  private volatile Schema responseValidator;

  private OpenApiDocument(ModelContract contract, String modelName) {
    this.contract = contract;
    this.formats = new BodyFormats(contract, modelName, Long.MAX_VALUE, false);
    this.forms = new JsonFormSchemas(contract, formats.modelName());
  }

  /** The document of a model served under its default name ({@link ModelContract#defaultName()}). */
  public static OpenApiDocument of(ModelContract contract) {
    return of(contract, contract.defaultName());
  }

  /** @param modelName the model's name on the Open Inference Protocol's routes (MODEL_CONTRACT_MODEL_NAME) */
  public static OpenApiDocument of(ModelContract contract, String modelName) {
    return new OpenApiDocument(contract, modelName);
  }

  /** The document as JSON. */
  public String json(String title, String version) {
    return JSON.writeValueAsString(document(title, version)) + "\n";
  }

  /** The document. */
  public ObjectNode document(String title, String version) {
    ObjectNode document = TensorSchemas.NODES.objectNode().put("openapi", "3.1.0");
    document.putObject("info").put("title", title).put("version", version).put("description", "A SageMaker serving"
        + " image built from a model contract (Model Contract): SageMaker's routes, and the Open Inference Protocol's"
        + " (KServe v2) under /v2, whose refusals also carry the protocol's `error` member. Any other path is answered"
        + " 404, any other method 405 (with Allow), both as RFC 9457 problems; HEAD is answered as GET, without the"
        + " body.");
    ObjectNode server = document.putArray("servers").addObject().put("url", "http://{host}:{port}")
        .put("description", "the container, where SageMaker, KServe (or docker run) reaches it");
    ObjectNode variables = server.putObject("variables");
    variables.putObject("host").put("default", "localhost");
    variables.putObject("port").put("default", Integer.toString(SageMakerHosting.PORT))
        .put("description", "8080 unless SAGEMAKER_BIND_TO_PORT (or else PORT) names another");
    // The container takes no credentials: SageMaker authenticates InvokeEndpoint before a request reaches it.
    document.putArray("security");
    ObjectNode paths = document.putObject("paths");
    for (String path : Routes.SERVED) {
      switch (path) {
        case Routes.INVOCATIONS -> paths.putObject(path).set("post", invoke());
        case Routes.PING -> readable(paths.putObject(path), "ping", "Health: 200 once the model is loaded and has"
            + " passed its checks, 503 while it loads and once the server drains", this::health);
        case Routes.EXECUTION_PARAMETERS -> readable(paths.putObject(path), "executionParameters", "What a SageMaker"
            + " batch transform job should send at once", this::executionParameters);
        case Routes.METRICS -> readable(paths.putObject(path), "metrics", "Prometheus metrics", this::metrics);
        default -> openInference(paths.putObject(path), OpenInferenceRoute.ofTemplate(path).orElseThrow(
            () -> new IllegalStateException("no operation describes " + path)));
      }
    }
    ObjectNode schemas = document.putObject("components").putObject("schemas");
    schemas.set("Problem", problemSchema());
    schemas.set("OpenInferenceError", openInferenceErrorSchema());
    return document;
  }

  /** An Open Inference Protocol route: its refusals are problems with the protocol's {@code error} member. */
  private void openInference(ObjectNode path, OpenInferenceRoute route) {
    switch (route) {
      case LIVE -> readable(path, "serverLive", "Open Inference Protocol: 200 while the server serves",
          responses -> flag(responses, "live", "the server serves"), OPEN_INFERENCE_ERROR);
      case READY -> readable(path, "serverReady", "Open Inference Protocol: 200 once the model is loaded and has"
          + " passed its checks (as /ping), 503 while it loads and once the server drains",
          responses -> flag(responses, "ready", "the model is ready"), OPEN_INFERENCE_ERROR);
      case SERVER_METADATA -> readable(path, "serverMetadata", "Open Inference Protocol: the server's name, version"
          + " and extensions (none)", this::serverMetadata, OPEN_INFERENCE_ERROR);
      case MODEL_METADATA -> readable(path, "modelMetadata", "Open Inference Protocol: the model's inputs and outputs"
          + " from its contract, -1 for a dynamic dim", this::modelMetadata, OPEN_INFERENCE_ERROR);
      case MODEL_READY -> readable(path, "modelReady", "Open Inference Protocol: 200 once the model is ready, as"
          + " /v2/health/ready", responses -> {
            ObjectNode schema = flagSchema("ready");
            ((ObjectNode) schema.get("properties")).putObject("name").put("const", formats.modelName());
            ((ArrayNode) schema.get("required")).add("name");
            json(response(responses, 200, "the model is ready"), schema);
          }, OPEN_INFERENCE_ERROR);
      case INFER -> path.set("post", infer());
    }
    if (route.template().contains("{model_name}")) {
      path.forEach(operation -> {
        ObjectNode owner = (ObjectNode) operation;
        ArrayNode parameters = owner.has("parameters") ? (ArrayNode) owner.get("parameters")
            : owner.putArray("parameters");
        ObjectNode name = TensorSchemas.NODES.objectNode().put("name", "model_name").put("in", "path")
            .put("required", true).put("description", "the model's name, '" + formats.modelName() + "'; any other"
                + " is answered 404");
        name.putObject("schema").put("type", "string").put("default", formats.modelName());
        parameters.insert(0, name);
      });
    }
  }

  /** POST /v2/models/{model_name}/infer: the protocol's request form only, answered as /invocations answers it. */
  private ObjectNode infer() {
    ObjectNode post = TensorSchemas.NODES.objectNode().put("operationId", "modelInfer")
        .put("summary", "Open Inference Protocol: run the model on a request that meets the contract")
        .put("description", "The body is the protocol's JSON request; the answer is exactly what POST /invocations"
            + " answers it with. A body in another form is answered 400, another Content-Type 415 (a missing one is"
            + " read as application/json).");
    post.putArray("parameters").add(parameter("Content-Encoding", "the body's coding: " + ContentCodings.SUPPORTED
        + ", or none; others are answered 415"));
    post.putObject("requestBody").put("required", true).putObject("content").putObject(MediaTypes.JSON)
        .set("schema", forms.request(JsonForm.OPEN_INFERENCE).put("$schema", DIALECT));
    ObjectNode responses = post.putObject("responses");
    json(response(responses, 200, "the outputs"), forms.answer(JsonForm.OPEN_INFERENCE).put("$schema", DIALECT));
    problems(responses, withUnknownModel(ProblemType.answeredOn(true)), OPEN_INFERENCE_ERROR);
    inStatusOrder(responses);
    return post;
  }

  /** {@code {NAME: true}}, 200. */
  private static void flag(ObjectNode responses, String name, String description) {
    json(response(responses, 200, description), flagSchema(name));
  }

  private static ObjectNode flagSchema(String name) {
    ObjectNode schema = TensorSchemas.object();
    schema.putObject("properties").putObject(name).put("const", true);
    schema.putArray("required").add(name);
    return schema;
  }

  private void serverMetadata(ObjectNode responses) {
    ObjectNode schema = TensorSchemas.object();
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("name").put("const", OpenInferenceMetadata.SERVER_NAME);
    properties.putObject("version").put("type", "string");
    properties.putObject("extensions").put("type", "array").put("maxItems", 0);
    schema.putArray("required").add("name").add("version").add("extensions");
    json(response(responses, 200, "the server's metadata"), schema);
  }

  /** The metadata of this contract's model: what the server answers, as a constant. */
  private void modelMetadata(ObjectNode responses) {
    json(response(responses, 200, "the model's metadata, from its contract"), TensorSchemas.NODES.objectNode()
        .set("const", OpenInferenceMetadata.model(contract, formats.modelName())));
  }

  private static void json(ObjectNode response, JsonNode schema) {
    content(response).putObject(MediaTypes.JSON).set("schema", schema);
  }

  /**
   * Every JSON request form this contract can be sent in: the inputs by name at the top level, under {@code inputs},
   * as TensorFlow Serving's {@code instances} (batched contracts), or as the Open Inference Protocol's list.
   */
  public ObjectNode requestSchema() {
    return oneOfForms(forms::request);
  }

  /** Every JSON answer: to each request form, its outputs wrapped as the request was. */
  public ObjectNode answerSchema() {
    return oneOfForms(forms::answer);
  }

  /** The JSON answer to the named form: every output by name. */
  public ObjectNode responseSchema() {
    return forms.answer(JsonForm.NAMED).put("$schema", DIALECT);
  }

  /**
   * What in a JSON answer to the named form disagrees with {@link #responseSchema()}, as networknt's validator
   * words it; empty when it agrees.
   */
  public List<String> responseProblems(byte[] body) {
    Schema schema = responseValidator;
    if (schema == null) {
      schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(responseSchema());
      responseValidator = schema;
    }
    return schema.validate(JSON.readTree(body)).stream().map(Error::toString).toList();
  }

  private ObjectNode oneOfForms(Function<JsonForm, ObjectNode> schemaOf) {
    return JsonFormSchemas.oneOf(formats.jsonForms().stream().map(schemaOf).toList()).put("$schema", DIALECT);
  }

  private ObjectNode invoke() {
    ObjectNode post = TensorSchemas.NODES.objectNode().put("operationId", "invoke")
        .put("summary", "Run the model on a request that meets the contract")
        .put("description", "The body's Content-Type chooses its format; the Accept header chooses the answer's"
            + " among those this request type can be answered in (JSON by default; JSON Lines is answered in JSON"
            + " Lines only). A JSON answer is wrapped as its request was. The contract's rules that JSON Schema cannot"
            + " state (inputs agreeing on a named dim, every instance naming the same inputs) are answered 422 too.");
    ArrayNode parameters = post.putArray("parameters");
    parameters.add(parameter(Routes.CUSTOM_ATTRIBUTES, "passed through by SageMaker; answered back unchanged"));
    parameters.add(parameter("Content-Encoding", "the body's coding: " + ContentCodings.SUPPORTED
        + ", or none; others are answered 415"));
    ObjectNode requests = post.putObject("requestBody").put("required", true).putObject("content");
    for (String type : formats.requestTypes()) {
      requests.putObject(type).set("schema", requestBody(type));
    }
    ObjectNode responses = post.putObject("responses");
    ObjectNode content = response(responses, 200, "the outputs, in the type Accept chose").putObject("content");
    for (String type : formats.answerTypes()) {
      content.putObject(type).set("schema", answerBody(type));
    }
    problems(responses, ProblemType.answeredOn(true), PROBLEM);
    inStatusOrder(responses);
    responses.properties().forEach(response -> headers((ObjectNode) response.getValue())
        .set(Routes.CUSTOM_ATTRIBUTES, header("the request's, where it sent them")));
    return post;
  }

  private ObjectNode requestBody(String type) {
    return switch (type) {
      case MediaTypes.JSON -> requestSchema();
      case MediaTypes.JSON_LINES -> text("one request per line, each in one of the application/json forms, at most "
          + JsonLinesDecoder.MAX_LINES + " lines, or one per KiB of a larger body limit (SageMaker batch transform's"
          + " SplitType=Line)");
      case MediaTypes.NPZ -> described("numpy's np.savez or np.savez_compressed archive: one NAME.npy per input");
      case MediaTypes.NPY -> described("numpy's np.save of the one input");
      case MediaTypes.CSV -> text("rows of the one input, one value per column (the SageMaker SDK's CSVSerializer)");
      default -> throw new IllegalStateException("no schema describes request bodies of type " + type);
    };
  }

  private ObjectNode answerBody(String type) {
    return switch (type) {
      case MediaTypes.JSON -> answerSchema();
      case MediaTypes.JSON_LINES -> text("one answer per line of the request (per row of a MULTI_RECORD CSV body),"
          + " in order, each as application/json describes");
      case MediaTypes.CSV -> text("to a CSV request: one line per row, in order, each the row's values of every"
          + " output in turn");
      case MediaTypes.NPZ -> described("an np.savez archive: one NAME.npy per output");
      case MediaTypes.NPY -> described("the one output, as np.save writes it");
      default -> throw new IllegalStateException("no schema describes answers of type " + type);
    };
  }

  /** GET and HEAD of a readable route; {@code ok} sets the answers of GET other than the problems. */
  private void readable(ObjectNode path, String operationId, String summary, Consumer<ObjectNode> ok) {
    readable(path, operationId, summary, ok, PROBLEM);
  }

  /** @param problem the schema of its problems: {@link #PROBLEM}, or the Open Inference Protocol's error */
  private void readable(ObjectNode path, String operationId, String summary, Consumer<ObjectNode> ok,
      String problem) {
    ObjectNode get = path.putObject("get").put("operationId", operationId).put("summary", summary);
    ObjectNode responses = get.putObject("responses");
    ok.accept(responses);
    problems(responses, problem.equals(PROBLEM) ? ProblemType.answeredOn(false) : openInferenceReadable(),
        problem);
    inStatusOrder(responses);
    ObjectNode head = path.putObject("head").put("operationId", operationId + "Head")
        .put("summary", summary + " (headers only)");
    ObjectNode headResponses = head.putObject("responses");
    responses.properties().forEach(response -> headResponses.putObject(response.getKey())
        .put("description", response.getValue().get("description").asString()));
  }

  /** {@code {"status": …}}, 200 when ready, 503 while loading and draining. */
  private void health(ObjectNode responses) {
    Map<Integer, List<String>> byStatus = new TreeMap<>();
    for (Health health : Health.values()) {
      byStatus.computeIfAbsent(health.status(), status -> new ArrayList<>()).add(health.word());
    }
    byStatus.forEach((status, words) -> {
      ObjectNode schema = TensorSchemas.object();
      words.forEach(schema.putObject("properties").putObject("status").putArray("enum")::add);
      schema.putArray("required").add("status");
      response(responses, status, "the server is " + String.join(" or ", words)).putObject("content")
          .putObject(MediaTypes.JSON).set("schema", schema);
    });
  }

  private void executionParameters(ObjectNode responses) {
    response(responses, 200, "SageMaker batch transform's execution parameters").putObject("content")
        .putObject(MediaTypes.JSON).set("schema", ExecutionParameters.schema());
  }

  private void metrics(ObjectNode responses) {
    response(responses, 200, "the server's metrics").putObject("content").putObject(ServerMetrics.CONTENT_TYPE)
        .set("schema", text("Prometheus' text format"));
  }

  /**
   * What an Open Inference Protocol GET route may refuse: what any route may, an unknown model name (404) and a
   * model not ready (503).
   */
  private static List<ProblemType> openInferenceReadable() {
    List<ProblemType> types = new ArrayList<>(ProblemType.answeredOn(false));
    types.add(ProblemType.MODEL_LOADING);
    return withUnknownModel(types);
  }

  /** The problems of an Open Inference Protocol route and 404, for a model name not served, in catalogue order. */
  private static List<ProblemType> withUnknownModel(List<ProblemType> types) {
    List<ProblemType> more = new ArrayList<>(types);
    more.add(ProblemType.NOT_FOUND);
    return more.stream().sorted().toList();
  }

  /** The problems a route may answer, one response per status (beside any it has), each naming its problem types. */
  private static void problems(ObjectNode responses, List<ProblemType> types, String problem) {
    Map<Integer, List<ProblemType>> byStatus = new TreeMap<>();
    types.forEach(type -> byStatus.computeIfAbsent(type.status(), status -> new ArrayList<>()).add(type));
    byStatus.forEach((status, same) -> {
      ObjectNode response = response(responses, status, "refused, as an RFC 9457 problem: " + String.join(", ",
          same.stream().map(ProblemType::title).toList()));
      ObjectNode narrowed = TensorSchemas.NODES.objectNode();
      ObjectNode properties = narrowed.putObject("properties");
      properties.putObject("status").put("const", status);
      ArrayNode uris = properties.putObject("type").putArray("enum");
      ArrayNode titles = properties.putObject("title").putArray("enum");
      for (ProblemType type : same) {
        uris.add(type.uri());
        titles.add(type.title());
        ResponseHeader header = ResponseHeader.of(type);
        if (header != null) {
          headers(response).set(header.name(), header(header.description()));
        }
      }
      content(response).putObject(Problem.MEDIA_TYPE).putObject("schema").putArray("allOf")
          .add(TensorSchemas.NODES.objectNode().put("$ref", problem)).add(narrowed);
    });
  }

  /** A header some problems are answered with. */
  private record ResponseHeader(String name, String description) {

    /** The header a problem of this type is answered with ({@link RequestGuard}, {@link InvocationsHandler}). */
    static ResponseHeader of(ProblemType type) {
      return switch (type) {
        case OVERLOADED -> new ResponseHeader("Retry-After", "seconds to wait before retrying");
        case UNSUPPORTED_CONTENT_ENCODING -> new ResponseHeader("Accept-Encoding", "the content codings this server"
            + " decodes: " + ContentCodings.SUPPORTED);
        default -> null;
      };
    }
  }

  /** The response of a status, made where missing; a further description is added to the one it has. */
  private static ObjectNode response(ObjectNode responses, int status, String description) {
    String key = Integer.toString(status);
    if (!responses.has(key)) {
      return responses.putObject(key).put("description", description);
    }
    ObjectNode response = (ObjectNode) responses.get(key);
    return response.put("description", response.get("description").asString() + "; " + description);
  }

  private static void inStatusOrder(ObjectNode responses) {
    Map<String, JsonNode> sorted = new TreeMap<>();
    responses.properties().forEach(response -> sorted.put(response.getKey(), response.getValue()));
    responses.removeAll().setAll(sorted);
  }

  private static ObjectNode content(ObjectNode response) {
    return response.has("content") ? (ObjectNode) response.get("content") : response.putObject("content");
  }

  private static ObjectNode headers(ObjectNode response) {
    return response.has("headers") ? (ObjectNode) response.get("headers") : response.putObject("headers");
  }

  /** RFC 9457's members, and the extension members this server adds (input, pointer, expected, ...): strings. */
  private static ObjectNode problemSchema() {
    ObjectNode schema = TensorSchemas.NODES.objectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("type").put("type", "string").put("format", "uri");
    properties.putObject("title").put("type", "string");
    properties.putObject("status").put("type", "integer");
    properties.putObject("detail").put("type", "string");
    schema.putArray("required").add("type").add("title").add("status").add("detail");
    schema.putObject("additionalProperties").put("type", "string");
    return schema;
  }

  /** A problem with the Open Inference Protocol's {@code error} member: its detail again, which its clients read. */
  private static ObjectNode openInferenceErrorSchema() {
    ObjectNode error = TensorSchemas.NODES.objectNode();
    error.putObject("properties").putObject(Responses.OPEN_INFERENCE_ERROR).put("type", "string");
    error.putArray("required").add(Responses.OPEN_INFERENCE_ERROR);
    ObjectNode schema = TensorSchemas.NODES.objectNode();
    schema.putArray("allOf").add(TensorSchemas.NODES.objectNode().put("$ref", PROBLEM)).add(error);
    return schema;
  }

  private static ObjectNode parameter(String name, String description) {
    ObjectNode parameter = TensorSchemas.NODES.objectNode().put("name", name).put("in", "header");
    return parameter.setAll(header(description));
  }

  private static ObjectNode header(String description) {
    ObjectNode header = TensorSchemas.NODES.objectNode().put("required", false).put("description", description);
    header.putObject("schema").put("type", "string");
    return header;
  }

  private static ObjectNode text(String description) {
    return TensorSchemas.NODES.objectNode().put("type", "string").put("description", description);
  }

  private static ObjectNode described(String description) {
    return TensorSchemas.NODES.objectNode().put("description", description);
  }
}
