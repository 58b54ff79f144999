package dev.modelcontract.server;

import dev.modelcontract.contract.DType;
import dev.modelcontract.tensors.OpenInference;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a multi-model endpoint's OpenAPI document says of its models ({@link ModelsHandler}): SageMaker's {@code
 * /models} routes that load, list, describe, unload and invoke them, with the problems each may answer, and the Open
 * Inference Protocol's model routes for any loaded model. The models' contracts are known only once they are loaded,
 * so bodies are described by their form, not by a contract's tensors: {@code GET /v2/models/{model_name}} names a
 * loaded model's inputs and outputs.
 */
final class MultiModelOpenApi implements OpenApiModels {

  /** Request types in the order a contract that takes them all lists them ({@link BodyFormats}). */
  private static final List<String> REQUEST_TYPES = List.of(MediaTypes.JSON, MediaTypes.JSON_LINES, MediaTypes.NPZ,
      MediaTypes.NPY, MediaTypes.CSV);
  /** Answer types in the order a contract answered in them all lists them. */
  private static final List<String> ANSWER_TYPES = List.of(MediaTypes.JSON, MediaTypes.NPZ, MediaTypes.NPY,
      MediaTypes.JSON_LINES, MediaTypes.CSV);

  @Override
  public List<String> routes() {
    return Routes.MULTI_MODEL_SERVED;
  }

  @Override
  public String description() {
    return "A SageMaker multi-model endpoint's container (SAGEMAKER_MULTI_MODEL=true) serving models built from model"
        + " contracts (Model Contract): SageMaker's routes, its /models routes that load, list, describe, unload and"
        + " invoke the models, and for every loaded model the Open Inference Protocol's (KServe v2) under /v2, whose"
        + " refusals also carry the protocol's `error` member. A model's contract is known once it is loaded: GET"
        + " /v2/models/{model_name} names its inputs and outputs.";
  }

  @Override
  public String readiness() {
    return "200 while the server serves, with or without models loaded (each model's own readiness is GET"
        + " /v2/models/{model_name}/ready), 503 once it drains";
  }

  @Override
  public List<Health> health() {
    return List.of(Health.READY, Health.DRAINING);
  }

  @Override
  public void route(ObjectNode path, String route) {
    switch (route) {
      case ModelsHandler.MODELS -> {
        path.set("post", load());
        OpenApiParts.readable(path, "listModels", "The loaded models by name, a page at a time",
            this::list, OpenApiParts.PROBLEM, OpenApiParts.with(ProblemType.answeredOn(false),
                ProblemType.MALFORMED_BODY));
        for (String method : List.of("get", "head")) {
          ArrayNode parameters = ((ObjectNode) path.get(method)).putArray("parameters");
          parameters.add(query("limit", "models per page, 1 or more", TensorSchemas.NODES.objectNode()
              .put("type", "integer").put("minimum", 1).put("default", ModelsHandler.DEFAULT_PAGE)));
          parameters.add(query("next_page_token", "the nextPageToken of the page before", TensorSchemas.NODES
              .objectNode().put("type", "string")));
        }
      }
      case Routes.MODEL -> {
        List<ProblemType> notLoaded = OpenApiParts.with(ProblemType.answeredOn(false), ProblemType.NOT_FOUND);
        OpenApiParts.readable(path, "describeModel", "The model, in SageMaker's multi-model server's shape, while it"
            + " loads and unloads too; 404 where none of that name is loaded", responses -> OpenApiParts.json(
            OpenApiParts.response(responses, 200, "the model and where it stands"), ModelDescription.schema()),
            OpenApiParts.PROBLEM, notLoaded);
        ObjectNode delete = path.putObject("delete").put("operationId", "unloadModel").put("summary", "Unloads the"
            + " model once the requests it has started are answered (up to MODEL_CONTRACT_DRAIN_TIMEOUT_SECONDS)");
        ObjectNode responses = delete.putObject("responses");
        OpenApiParts.json(OpenApiParts.response(responses, 200, "the model is unloaded"), status());
        OpenApiParts.problems(responses, notLoaded, OpenApiParts.PROBLEM);
        OpenApiParts.inStatusOrder(responses);
        modelName(path);
      }
      case Routes.MODEL_INVOKE -> {
        ObjectNode post = OpenApiParts.invoke("invokeModel", "Run the model on a request that meets its contract",
            "Answered as a single-model server's POST /invocations answers it, by the model's own contract: the"
            + " body's Content-Type chooses its format, the Accept header the answer's, a JSON answer is wrapped as"
            + " its request was, and whatever breaks the contract is answered 422. A model not loaded, loading or"
            + " unloading is answered 404, which SageMaker reads as not loaded.", bodies(REQUEST_TYPES,
            type -> OpenApiParts.requestBody(type, jsonBody("the model's inputs in one of the JSON forms its contract"
            + " takes: by name ({\"NAME\": [...]}), under inputs ({\"inputs\": {...}}), as TensorFlow Serving's"
            + " instances (contracts with a batch axis) or as the Open Inference Protocol's request"))),
            bodies(ANSWER_TYPES, type -> OpenApiParts.answerBody(type, jsonBody("the model's outputs, wrapped as the"
            + " request was"))), OpenApiParts.with(ProblemType.answeredOn(true), ProblemType.NOT_FOUND));
        ((ArrayNode) post.get("parameters")).add(OpenApiParts.parameter(ModelsHandler.TARGET_MODEL, "SageMaker's"
            + " InvokeEndpoint TargetModel, logged; the model is the one the path names"));
        path.set("post", post);
        modelName(path);
      }
      default -> throw new IllegalStateException("no operation describes " + route);
    }
  }

  @Override
  public String modelNameDescription() {
    return "a loaded model's name, as POST /models gave it; a name not loaded is answered 404";
  }

  @Override
  public ObjectNode modelName() {
    return TensorSchemas.NODES.objectNode().put("type", "string");
  }

  @Override
  public ObjectNode answeredName() {
    return modelName();
  }

  /** {@code {"name", "platform", "inputs": [{"name", "datatype", "shape"}], "outputs": [...]}}, -1 a dynamic dim. */
  @Override
  public ObjectNode metadata() {
    ObjectNode schema = TensorSchemas.object();
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("name").put("type", "string");
    properties.putObject("platform").put("const", OpenInferenceMetadata.PLATFORM);
    ObjectNode tensor = TensorSchemas.object();
    ObjectNode members = tensor.putObject("properties");
    members.putObject("name").put("type", "string");
    members.set("datatype", datatypes(Stream.concat(Arrays.stream(DType.values()).map(OpenInference::datatype),
        Stream.of(OpenInference.BYTES))));
    members.set("shape", sizes(-1));
    tensor.putArray("required").add("name").add("datatype").add("shape");
    properties.putObject("inputs").put("type", "array").set("items", tensor);
    properties.putObject("outputs").put("type", "array").set("items", tensor.deepCopy());
    schema.putArray("required").add("name").add("platform").add("inputs").add("outputs");
    return schema;
  }

  /** {@code {"id", "parameters", "outputs", "inputs": [{"name", "shape", "datatype", "data", "parameters"}]}}. */
  @Override
  public ObjectNode inferRequest() {
    ObjectNode request = TensorSchemas.object();
    ObjectNode properties = request.putObject("properties");
    ObjectNode input = TensorSchemas.object();
    ObjectNode members = input.putObject("properties");
    members.putObject("name").put("type", "string");
    members.set("shape", sizes(0));
    members.set("datatype", datatypes(Arrays.stream(DType.values()).map(OpenInference::datatype)));
    members.putObject("data").put("type", "array").put("description", "flat (row-major) or nested as the shape"
        + " says");
    members.putObject("parameters");
    input.putArray("required").add("name").add("shape").add("datatype").add("data");
    properties.putObject("inputs").put("type", "array").set("items", input);
    properties.putObject("id").put("type", "string");
    properties.putObject("parameters");
    properties.putObject("outputs");
    request.putArray("required").add("inputs");
    return request.put("$schema", OpenApiParts.DIALECT);
  }

  /** {@code {"model_name", "id", "outputs": [{"name", "datatype", "shape", "data"}]}}: every output, data flat. */
  @Override
  public ObjectNode inferAnswer() {
    ObjectNode answer = TensorSchemas.object();
    ObjectNode properties = answer.putObject("properties");
    properties.putObject("model_name").put("type", "string");
    properties.putObject("id").put("type", "string").put("description", "the request's id, where it gave one");
    ObjectNode output = TensorSchemas.object();
    ObjectNode members = output.putObject("properties");
    members.putObject("name").put("type", "string");
    members.set("datatype", datatypes(Stream.concat(Arrays.stream(DType.values())
        .flatMap(dtype -> OpenInference.answerDatatypes(dtype).stream()), Stream.of(OpenInference.BYTES))));
    members.set("shape", sizes(0));
    members.putObject("data").put("type", "array");
    output.putArray("required").add("name").add("datatype").add("shape").add("data");
    properties.putObject("outputs").put("type", "array").set("items", output);
    answer.putArray("required").add("model_name").add("outputs");
    return answer.put("$schema", OpenApiParts.DIALECT);
  }

  /** POST /models: {@code {"model_name", "url"}}, loaded and checked before it is answered. */
  private static ObjectNode load() {
    ObjectNode post = TensorSchemas.NODES.objectNode().put("operationId", "loadModel").put("summary", "Loads a model"
        + " from the folder SageMaker extracted its model.tar.gz into, checked as a single-model start checks it (the"
        + " contract, its dry run, the golden pairs replayed on this CPU)");
    ObjectNode body = TensorSchemas.NODES.objectNode().put("type", "object");
    ObjectNode properties = body.putObject("properties");
    properties.putObject("model_name").put("type", "string").put("pattern", "^[^/]+$")
        .put("description", "the name its routes will know it by; no '/'");
    properties.putObject("url").put("type", "string").put("minLength", 1)
        .put("description", "the folder holding model-contract.yaml, the TorchScript file and golden/, e.g."
            + " /opt/ml/models/NAME/model");
    body.putArray("required").add("model_name").add("url");
    post.putObject("requestBody").put("required", true).putObject("content").putObject(MediaTypes.JSON)
        .set("schema", body);
    ObjectNode responses = post.putObject("responses");
    OpenApiParts.json(OpenApiParts.response(responses, 200, "the model is loaded and serves"), status());
    OpenApiParts.problems(responses, OpenApiParts.with(ProblemType.answeredOn(false), ProblemType.MALFORMED_BODY,
        ProblemType.MODEL_EXISTS, ProblemType.MODEL_NOT_LOADABLE, ProblemType.INSUFFICIENT_MEMORY),
        OpenApiParts.PROBLEM);
    OpenApiParts.inStatusOrder(responses);
    return post;
  }

  /** GET /models: {@code {"models": [{"modelName", "modelUrl"}], "nextPageToken"}}, the token where more follow. */
  private void list(ObjectNode responses) {
    ObjectNode model = TensorSchemas.object();
    ObjectNode members = model.putObject("properties");
    members.putObject("modelName").put("type", "string");
    members.putObject("modelUrl").put("type", "string");
    model.putArray("required").add("modelName").add("modelUrl");
    ObjectNode page = TensorSchemas.object();
    ObjectNode properties = page.putObject("properties");
    properties.putObject("models").put("type", "array").set("items", model);
    properties.putObject("nextPageToken").put("type", "string").put("description", "where more models follow: the"
        + " next_page_token of the next page");
    page.putArray("required").add("models");
    OpenApiParts.json(OpenApiParts.response(responses, 200, "a page of the loaded models, by name"), page);
  }

  private void modelName(ObjectNode path) {
    OpenApiParts.modelName(path, modelNameDescription(), modelName());
  }

  /** {@code {"status": "model NAME loaded"}}, as SageMaker's multi-model server answers a load or an unload. */
  private static ObjectNode status() {
    ObjectNode schema = TensorSchemas.object();
    schema.putObject("properties").putObject("status").put("type", "string");
    schema.putArray("required").add("status");
    return schema;
  }

  private static ObjectNode jsonBody(String description) {
    return TensorSchemas.NODES.objectNode().put("type", "object").put("description", description);
  }

  private static Map<String, ObjectNode> bodies(List<String> types, Function<String, ObjectNode> schema) {
    Map<String, ObjectNode> bodies = new LinkedHashMap<>();
    types.forEach(type -> bodies.put(type, schema.apply(type)));
    return bodies;
  }

  private static ObjectNode query(String name, String description, ObjectNode schema) {
    ObjectNode parameter = TensorSchemas.NODES.objectNode().put("name", name).put("in", "query")
        .put("required", false).put("description", description);
    return parameter.set("schema", schema);
  }

  private static ObjectNode datatypes(Stream<String> names) {
    ObjectNode schema = TensorSchemas.NODES.objectNode();
    ArrayNode values = schema.putArray("enum");
    names.distinct().forEach(values::add);
    return schema;
  }

  /** An array of sizes, each {@code minimum} or more. */
  private static ObjectNode sizes(int minimum) {
    ObjectNode schema = TensorSchemas.NODES.objectNode().put("type", "array");
    schema.putObject("items").put("type", "integer").put("minimum", minimum);
    return schema;
  }
}
