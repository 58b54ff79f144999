package dev.modelcontract.server;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.modelcontract.contract.BatchSpec;
import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.OutputSpec;
import dev.modelcontract.contract.TensorShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI 3.1 description of a serving image's HTTP API, derived from its contract: {@code POST /invocations}
 * with JSON Schemas (2020-12, as OpenAPI 3.1 uses) of the named request and response forms, every tensor a nested
 * array bounded by the contract's dims and typed by its dtype, and {@code GET /ping}. The other request forms
 * (numpy, CSV, the Open Inference Protocol, JSON Lines) are listed by media type; their bodies are binary or
 * described by their own specifications.
 */
public final class OpenApiDocument {

  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final JsonNodeFactory NODES = JSON.getNodeFactory();

  private final ModelContract contract;
  private volatile Schema responseValidator;

  private OpenApiDocument(ModelContract contract) {
    this.contract = contract;
  }

  public static OpenApiDocument of(ModelContract contract) {
    return new OpenApiDocument(contract);
  }

  /** The document as JSON. */
  public String json(String title, String version) {
    return JSON.writeValueAsString(document(title, version)) + "\n";
  }

  /** The document. */
  public ObjectNode document(String title, String version) {
    ObjectNode document = NODES.objectNode();
    document.put("openapi", "3.1.0");
    document.putObject("info").put("title", title).put("version", version)
        .put("description", "A SageMaker serving image built from a model contract (Model Contract).");
    ObjectNode paths = document.putObject("paths");
    ObjectNode invocations = paths.putObject("/invocations").putObject("post");
    invocations.put("summary", "Run the model on named inputs");
    ObjectNode content = invocations.putObject("requestBody").put("required", true).putObject("content");
    content.putObject("application/json").set("schema", requestSchema());
    for (String type : MediaTypes.requestTypes(contract)) {
      if (!type.equals(MediaTypes.JSON)) {
        content.putObject(type).putObject("schema").put("type", "string").put("contentMediaType", type);
      }
    }
    ObjectNode responses = invocations.putObject("responses");
    responses.putObject("200").put("description", "the named outputs").putObject("content")
        .putObject("application/json").set("schema", responseSchema());
    Map<Integer, List<String>> refusals = new TreeMap<>();
    for (ProblemType type : ProblemType.refusingBodies()) {
      refusals.computeIfAbsent(type.status(), status -> new ArrayList<>()).add(type.uri());
    }
    refusals.forEach((status, types) -> responses.putObject(Integer.toString(status))
        .put("description", "refused: an RFC 9457 problem (" + String.join(", ", types) + ")")
        .putObject("content").putObject(Problem.MEDIA_TYPE).set("schema", problemSchema()));
    paths.putObject("/ping").putObject("get").put("summary", "Health: 200 once the model is loaded and checked")
        .putObject("responses").putObject("200").put("description", "ready");
    return document;
  }

  /**
   * The JSON request forms: the inputs by name at the top level, or under {@code inputs}. A batched contract that
   * accepts unbatched requests takes each input with or without its batch axis.
   */
  public ObjectNode requestSchema() {
    ObjectNode named = NODES.objectNode().put("type", "object").put("additionalProperties", false);
    ObjectNode properties = named.putObject("properties");
    ArrayNode required = named.putArray("required");
    for (InputSpec input : contract.inputs()) {
      properties.set(input.name(), tensor(input.shape(), within(element(input.dtype(), null), input), null));
      if (!input.optional()) {
        required.add(input.name());
      }
    }
    ObjectNode wrapped = NODES.objectNode().put("type", "object");
    wrapped.putObject("properties").set("inputs", named);
    wrapped.putArray("required").add("inputs");
    ObjectNode schema = NODES.objectNode().put("$schema", "https://json-schema.org/draft/2020-12/schema");
    schema.putArray("oneOf").add(named).add(wrapped);
    return schema;
  }

  /** The JSON answer to the named form: every output by name. */
  public ObjectNode responseSchema() {
    ObjectNode schema = NODES.objectNode().put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("type", "object").put("additionalProperties", false);
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = schema.putArray("required");
    for (OutputSpec output : contract.outputs()) {
      TensorShape shape = output.labels().isEmpty() ? output.shape() : new TensorShape(
          output.shape().dims().subList(0, output.shape().rank() - 1));
      properties.set(output.name(), tensor(shape, element(output.dtype(), output), output));
      required.add(output.name());
    }
    return schema;
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

  private static ObjectNode problemSchema() {
    ObjectNode schema = NODES.objectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    for (String field : List.of("type", "title", "detail", "input", "pointer", "expected", "actual")) {
      properties.putObject(field).put("type", "string");
    }
    properties.putObject("status").put("type", "integer");
    schema.putArray("required").add("type").add("title").add("status");
    return schema;
  }

  /** A tensor as nested arrays, batched and (where the contract allows) unbatched. */
  private JsonNode tensor(TensorShape shape, ObjectNode element, OutputSpec output) {
    ObjectNode batched = arrays(shape.dims(), element);
    boolean unbatched = contract.batch().map(BatchSpec::unbatchedRequests).orElse(false) && shape.rank() > 0;
    if (!unbatched) {
      return batched;
    }
    ObjectNode either = NODES.objectNode();
    either.putArray("oneOf").add(batched).add(arrays(shape.dims().subList(1, shape.rank()), element));
    return either;
  }

  private ObjectNode arrays(List<Dim> dims, ObjectNode element) {
    if (dims.isEmpty()) {
      return element;
    }
    ObjectNode array = NODES.objectNode().put("type", "array");
    Dim dim = dims.get(0);
    if (dim instanceof Dim.Fixed fixed) {
      array.put("minItems", fixed.size()).put("maxItems", fixed.size());
    } else {
      DimSpec bounds = contract.dim(((Dim.Named) dim).name());
      array.put("minItems", bounds.min());
      if (bounds.max() < Long.MAX_VALUE) {
        array.put("maxItems", bounds.max());
      }
    }
    array.set("items", arrays(dims.subList(1, dims.size()), element));
    return array;
  }

  /** An input's element narrowed to its range, where the contract gives one. */
  private static ObjectNode within(ObjectNode element, InputSpec input) {
    input.range().ifPresent(range -> {
      if (range.min() != Double.NEGATIVE_INFINITY) {
        putBound(element, "minimum", range.min(), input.dtype());
      }
      if (range.max() != Double.POSITIVE_INFINITY) {
        putBound(element, "maximum", range.max(), input.dtype());
      }
    });
    return element;
  }

  private static void putBound(ObjectNode element, String keyword, double bound, DType dtype) {
    if (dtype.kind() == DType.Kind.INTEGER) {
      element.put(keyword, (long) bound);
    } else {
      element.put(keyword, bound);
    }
  }

  private static ObjectNode element(DType dtype, OutputSpec output) {
    if (output != null && !output.labels().isEmpty()) {
      ObjectNode label = NODES.objectNode().put("type", "string");
      output.labels().forEach(label.putArray("enum")::add);
      return label;
    }
    if (output != null && output.softmax()) {
      return NODES.objectNode().put("type", "number").put("minimum", 0).put("maximum", 1);
    }
    return switch (dtype.kind()) {
      case FLOAT -> NODES.objectNode().put("type", "number");
      case INTEGER -> NODES.objectNode().put("type", "integer").put("minimum", dtype.minLong())
          .put("maximum", dtype == DType.INT64 ? Long.MAX_VALUE : (long) dtype.max());
      case BOOL -> NODES.objectNode().put("type", "boolean");
    };
  }
}
