package dev.modelcontract.server;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.JsonForm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a single-model server's OpenAPI document says of its one model, from its contract: for {@code POST
 * /invocations} every request media type the contract can be sent in and every answer type ({@link BodyFormats}),
 * and for JSON every request form with the answer it gets ({@link JsonFormSchemas}, tensors as nested arrays bounded
 * by the contract's dims); on the Open Inference Protocol's routes, its name, its metadata and its tensors.
 */
final class SingleModelOpenApi implements OpenApiModels {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ModelContract contract;
  private final BodyFormats formats;
  private final JsonFormSchemas forms;
  private volatile Schema responseValidator;

  /** @param modelName the model's name on the Open Inference Protocol's routes (MODEL_CONTRACT_MODEL_NAME) */
  SingleModelOpenApi(ModelContract contract, String modelName) {
    this.contract = contract;
    this.formats = new BodyFormats(contract, modelName, Long.MAX_VALUE, false);
    this.forms = new JsonFormSchemas(contract, formats.modelName());
  }

  @Override
  public List<String> routes() {
    return Routes.SERVED;
  }

  @Override
  public String description() {
    return "A SageMaker serving image built from a model contract (Model Contract): SageMaker's routes, and the Open"
        + " Inference Protocol's (KServe v2) under /v2, whose refusals also carry the protocol's `error` member.";
  }

  @Override
  public String readiness() {
    return "200 once the model is loaded and has passed its checks, 503 while it loads and once the server drains";
  }

  @Override
  public List<Health> health() {
    return List.of(Health.values());
  }

  @Override
  public void route(ObjectNode path, String route) {
    if (!Routes.INVOCATIONS.equals(route)) {
      throw new IllegalStateException("no operation describes " + route);
    }
    ObjectNode jsonRequest = requestSchema();
    ObjectNode jsonAnswer = answerSchema();
    Map<String, ObjectNode> requests = new LinkedHashMap<>();
    formats.requestTypes().forEach(type -> requests.put(type, OpenApiParts.requestBody(type, jsonRequest)));
    Map<String, ObjectNode> answers = new LinkedHashMap<>();
    formats.answerTypes().forEach(type -> answers.put(type, OpenApiParts.answerBody(type, jsonAnswer)));
    path.set("post", OpenApiParts.invoke("invoke", "Run the model on a request that meets the contract", "The body's"
        + " Content-Type chooses its format; the Accept header chooses the answer's among those this request type can"
        + " be answered in (JSON by default; JSON Lines is answered in JSON Lines only). A JSON answer is wrapped as"
        + " its request was. The contract's rules that JSON Schema cannot state (inputs agreeing on a named dim, every"
        + " instance naming the same inputs) are answered 422 too.", requests, answers, ProblemType.answeredOn(true)));
  }

  @Override
  public String modelNameDescription() {
    return "the model's name, '" + formats.modelName() + "'; any other is answered 404";
  }

  @Override
  public ObjectNode modelName() {
    return TensorSchemas.NODES.objectNode().put("type", "string").put("default", formats.modelName());
  }

  @Override
  public ObjectNode answeredName() {
    return TensorSchemas.NODES.objectNode().put("const", formats.modelName());
  }

  /** The metadata of this contract's model: what the server answers, as a constant. */
  @Override
  public ObjectNode metadata() {
    return TensorSchemas.NODES.objectNode().set("const", OpenInferenceMetadata.model(contract, formats.modelName()));
  }

  @Override
  public ObjectNode inferRequest() {
    return forms.request(JsonForm.OPEN_INFERENCE).put("$schema", OpenApiParts.DIALECT);
  }

  @Override
  public ObjectNode inferAnswer() {
    return forms.answer(JsonForm.OPEN_INFERENCE).put("$schema", OpenApiParts.DIALECT);
  }

  /** Every JSON request form this contract can be sent in. */
  ObjectNode requestSchema() {
    return oneOfForms(forms::request);
  }

  /** Every JSON answer: to each request form, its outputs wrapped as the request was. */
  ObjectNode answerSchema() {
    return oneOfForms(forms::answer);
  }

  /** The JSON answer to the named form: every output by name. */
  ObjectNode responseSchema() {
    return forms.answer(JsonForm.NAMED).put("$schema", OpenApiParts.DIALECT);
  }

  /** What in a JSON answer to the named form disagrees with {@link #responseSchema()}; empty when it agrees. */
  List<String> responseProblems(byte[] body) {
    Schema schema = responseValidator;
    if (schema == null) {
      schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(responseSchema());
      responseValidator = schema;
    }
    return schema.validate(JSON.readTree(body)).stream().map(Error::toString).toList();
  }

  private ObjectNode oneOfForms(Function<JsonForm, ObjectNode> schemaOf) {
    return JsonFormSchemas.oneOf(formats.jsonForms().stream().map(schemaOf).toList())
        .put("$schema", OpenApiParts.DIALECT);
  }
}
