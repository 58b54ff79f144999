package dev.modelcontract.server;

import dev.modelcontract.hosting.SageMakerHosting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every OpenAPI document of this server is made of, whichever models it serves ({@link OpenApiDocument}): the
 * document's frame, operations that read (GET and HEAD) and those that run a model, the problems a route may answer
 * by status ({@link ProblemType}), RFC 9457's problem and the Open Inference Protocol's error, headers and parameters.
 */
final class OpenApiParts {

  static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
  static final String PROBLEM = "#/components/schemas/Problem";
  static final String OPEN_INFERENCE_ERROR = "#/components/schemas/OpenInferenceError";

  private OpenApiParts() {}

  /** {@code openapi}, {@code info}, {@code servers} and {@code security}: everything but the paths and components. */
  static ObjectNode frame(String title, String version, String description) {
    ObjectNode document = TensorSchemas.NODES.objectNode().put("openapi", "3.1.0");
    document.putObject("info").put("title", title).put("version", version).put("description", description
        + " Any other path is answered 404, any other method 405 (with Allow), both as RFC 9457 problems; HEAD is"
        + " answered as GET, without the body.");
    ObjectNode server = document.putArray("servers").addObject().put("url", "http://{host}:{port}")
        .put("description", "the container, where SageMaker, KServe (or docker run) reaches it");
    ObjectNode variables = server.putObject("variables");
    variables.putObject("host").put("default", "localhost");
    variables.putObject("port").put("default", Integer.toString(SageMakerHosting.PORT))
        .put("description", "8080 unless SAGEMAKER_BIND_TO_PORT (or else PORT) names another");
    // The container takes no credentials: SageMaker authenticates InvokeEndpoint before a request reaches it.
    document.putArray("security");
    return document;
  }

  /** The schemas the operations refer to. */
  static void components(ObjectNode document) {
    ObjectNode schemas = document.putObject("components").putObject("schemas");
    schemas.set("Problem", problemSchema());
    schemas.set("OpenInferenceError", openInferenceErrorSchema());
  }

  /** GET and HEAD of a readable route that may refuse what any route may; {@code ok} sets its other answers. */
  static void readable(ObjectNode path, String operationId, String summary, Consumer<ObjectNode> ok) {
    readable(path, operationId, summary, ok, PROBLEM, ProblemType.answeredOn(false));
  }

  /**
   * GET and HEAD of a readable route.
   *
   * @param problem the schema of its problems: {@link #PROBLEM}, or the Open Inference Protocol's error
   * @param types the problems it may answer
   */
  static void readable(ObjectNode path, String operationId, String summary, Consumer<ObjectNode> ok, String problem,
      List<ProblemType> types) {
    ObjectNode get = path.putObject("get").put("operationId", operationId).put("summary", summary);
    ObjectNode responses = get.putObject("responses");
    ok.accept(responses);
    problems(responses, types, problem);
    inStatusOrder(responses);
    ObjectNode head = path.putObject("head").put("operationId", operationId + "Head")
        .put("summary", summary + " (headers only)");
    ObjectNode headResponses = head.putObject("responses");
    responses.properties().forEach(response -> headResponses.putObject(response.getKey())
        .put("description", response.getValue().get("description").asString()));
  }

  /**
   * An operation that runs a model on a body ({@code /invocations}, a multi-model endpoint's
   * {@code /models/NAME/invoke}): the body's schema by media type, the answer's by the type Accept chose, the problems
   * it may answer, and the custom attributes SageMaker passes through and gets back on every answer.
   */
  static ObjectNode invoke(String operationId, String summary, String description, Map<String, ObjectNode> requests,
      Map<String, ObjectNode> answers, List<ProblemType> types) {
    ObjectNode post = TensorSchemas.NODES.objectNode().put("operationId", operationId).put("summary", summary)
        .put("description", description);
    ArrayNode parameters = post.putArray("parameters");
    parameters.add(parameter(Routes.CUSTOM_ATTRIBUTES, "passed through by SageMaker; answered back unchanged"));
    parameters.add(contentEncoding());
    ObjectNode requestContent = post.putObject("requestBody").put("required", true).putObject("content");
    requests.forEach((type, schema) -> requestContent.putObject(type).set("schema", schema));
    ObjectNode responses = post.putObject("responses");
    ObjectNode answerContent = response(responses, 200, "the outputs, in the type Accept chose")
        .putObject("content");
    answers.forEach((type, schema) -> answerContent.putObject(type).set("schema", schema));
    problems(responses, types, PROBLEM);
    inStatusOrder(responses);
    responses.properties().forEach(response -> headers((ObjectNode) response.getValue())
        .set(Routes.CUSTOM_ATTRIBUTES, header("the request's, where it sent them")));
    return post;
  }

  /**
   * The schema of a request body of a media type other than JSON, as every contract is sent it.
   *
   * @param json the schema of a JSON body
   */
  static ObjectNode requestBody(String type, ObjectNode json) {
    return switch (type) {
      case MediaTypes.JSON -> json;
      case MediaTypes.JSON_LINES -> text("one request per line, each in one of the application/json forms, at most "
          + JsonLinesDecoder.MAX_LINES + " lines, or one per KiB of a larger body limit (SageMaker batch transform's"
          + " SplitType=Line)");
      case MediaTypes.NPZ -> described("numpy's np.savez or np.savez_compressed archive: one NAME.npy per input");
      case MediaTypes.NPY -> described("numpy's np.save of the one input");
      case MediaTypes.CSV -> text("rows of the one input, one value per column (the SageMaker SDK's CSVSerializer)");
      default -> throw new IllegalStateException("no schema describes request bodies of type " + type);
    };
  }

  /**
   * The schema of an answer of a media type.
   *
   * @param json the schema of a JSON answer
   */
  static ObjectNode answerBody(String type, ObjectNode json) {
    return switch (type) {
      case MediaTypes.JSON -> json;
      case MediaTypes.JSON_LINES -> text("one answer per line of the request (per row of a MULTI_RECORD CSV body),"
          + " in order, each as application/json describes");
      case MediaTypes.CSV -> text("to a CSV request: one line per row, in order, each the row's values of every"
          + " output in turn");
      case MediaTypes.NPZ -> described("an np.savez archive: one NAME.npy per output");
      case MediaTypes.NPY -> described("the one output, as np.save writes it");
      default -> throw new IllegalStateException("no schema describes answers of type " + type);
    };
  }

  /** The {@code model_name} path parameter, first on every operation of a path that names a model. */
  static void modelName(ObjectNode path, String description, ObjectNode schema) {
    path.forEach(operation -> {
      ObjectNode owner = (ObjectNode) operation;
      ArrayNode parameters = owner.has("parameters") ? (ArrayNode) owner.get("parameters")
          : owner.putArray("parameters");
      ObjectNode name = TensorSchemas.NODES.objectNode().put("name", "model_name").put("in", "path")
          .put("required", true).put("description", description);
      name.set("schema", schema.deepCopy());
      parameters.insert(0, name);
    });
  }

  /**
   * What an Open Inference Protocol GET route may refuse: what any route may, an unknown model name (404) and a
   * model not ready (503).
   */
  static List<ProblemType> openInferenceReadable() {
    List<ProblemType> types = new ArrayList<>(ProblemType.answeredOn(false));
    types.add(ProblemType.MODEL_LOADING);
    return with(types, ProblemType.NOT_FOUND);
  }

  /** The problems and more, in catalogue order. */
  static List<ProblemType> with(List<ProblemType> types, ProblemType... more) {
    List<ProblemType> all = new ArrayList<>(types);
    all.addAll(List.of(more));
    return all.stream().distinct().sorted().toList();
  }

  /** The problems a route may answer, one response per status (beside any it has), each naming its problem types. */
  static void problems(ObjectNode responses, List<ProblemType> types, String problem) {
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
  static ObjectNode response(ObjectNode responses, int status, String description) {
    String key = Integer.toString(status);
    if (!responses.has(key)) {
      return responses.putObject(key).put("description", description);
    }
    ObjectNode response = (ObjectNode) responses.get(key);
    return response.put("description", response.get("description").asString() + "; " + description);
  }

  static void inStatusOrder(ObjectNode responses) {
    Map<String, JsonNode> sorted = new TreeMap<>();
    responses.properties().forEach(response -> sorted.put(response.getKey(), response.getValue()));
    responses.removeAll().setAll(sorted);
  }

  /** A JSON answer of that schema. */
  static void json(ObjectNode response, JsonNode schema) {
    content(response).putObject(MediaTypes.JSON).set("schema", schema);
  }

  /** {@code {NAME: true}}. */
  static ObjectNode flagSchema(String name) {
    ObjectNode schema = TensorSchemas.object();
    schema.putObject("properties").putObject(name).put("const", true);
    schema.putArray("required").add(name);
    return schema;
  }

  /** The request's {@code Content-Encoding}, on every route that takes a body to decode. */
  static ObjectNode contentEncoding() {
    return parameter("Content-Encoding", "the body's coding: " + ContentCodings.SUPPORTED + ", or none; others are"
        + " answered 415");
  }

  /** An optional request header. */
  static ObjectNode parameter(String name, String description) {
    ObjectNode parameter = TensorSchemas.NODES.objectNode().put("name", name).put("in", "header");
    return parameter.setAll(header(description));
  }

  static ObjectNode text(String description) {
    return TensorSchemas.NODES.objectNode().put("type", "string").put("description", description);
  }

  static ObjectNode described(String description) {
    return TensorSchemas.NODES.objectNode().put("description", description);
  }

  private static ObjectNode content(ObjectNode response) {
    return response.has("content") ? (ObjectNode) response.get("content") : response.putObject("content");
  }

  private static ObjectNode headers(ObjectNode response) {
    return response.has("headers") ? (ObjectNode) response.get("headers") : response.putObject("headers");
  }

  private static ObjectNode header(String description) {
    ObjectNode header = TensorSchemas.NODES.objectNode().put("required", false).put("description", description);
    header.putObject("schema").put("type", "string");
    return header;
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
}
