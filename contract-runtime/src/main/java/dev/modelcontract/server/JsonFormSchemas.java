package dev.modelcontract.server;

import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.OutputSpec;
import dev.modelcontract.tensors.JsonForm;
import dev.modelcontract.tensors.OpenInference;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON Schemas of each {@link JsonForm}'s request, as {@code JsonTensorReader} reads it, and of its answer, as the
 * form's envelope writes it: named tensors, or wrapped under {@code inputs} / {@code outputs}, TensorFlow Serving's
 * {@code instances} / {@code predictions}, or the Open Inference Protocol's lists of {@code {name, shape, datatype,
 * data}}.
 */
final class JsonFormSchemas {

  private final ModelContract contract;
  private final TensorSchemas tensors;
  private final String modelName;

  /**
   * @param modelName what Open Inference Protocol answers give as {@code model_name}
   */
  JsonFormSchemas(ModelContract contract, String modelName) {
    this.contract = contract;
    this.tensors = new TensorSchemas(contract);
    this.modelName = modelName;
  }

  /** A request in this form. */
  ObjectNode request(JsonForm form) {
    return switch (form) {
      // anyOf: a body of optional inputs only, {}, fits both
      case NAMED -> withAndWithoutBatchAxis(tensors.inputs(true), tensors.inputs(false), "anyOf");
      case INPUTS -> wrapped("inputs", request(JsonForm.NAMED));
      case INSTANCES -> wrapped("instances", batchItems(tensors.inputs(false)));
      case OPEN_INFERENCE -> openInferenceRequest();
    };
  }

  /** The answer to a request in this form: its outputs, wrapped as the request was. */
  ObjectNode answer(JsonForm form) {
    return switch (form) {
      case NAMED -> withAndWithoutBatchAxis(tensors.outputs(true), tensors.outputs(false), "oneOf");
      case INPUTS -> wrapped("outputs", answer(JsonForm.NAMED));
      case INSTANCES -> wrapped("predictions", batchItems(tensors.outputs(false)));
      case OPEN_INFERENCE -> openInferenceAnswer();
    };
  }

  /** The batched schema, or either of the two where unbatched requests are allowed (their answers are unbatched). */
  private ObjectNode withAndWithoutBatchAxis(ObjectNode batched, ObjectNode unbatched, String keyword) {
    if (!tensors.unbatchedAllowed()) {
      return batched;
    }
    ObjectNode either = TensorSchemas.NODES.objectNode();
    either.putArray(keyword).add(batched).add(unbatched);
    return either;
  }

  /** The one schema, or one of several. */
  static ObjectNode oneOf(List<ObjectNode> schemas) {
    if (schemas.size() == 1) {
      return schemas.get(0);
    }
    ObjectNode oneOf = TensorSchemas.NODES.objectNode();
    schemas.forEach(oneOf.putArray("oneOf")::add);
    return oneOf;
  }

  /** {@code {"<name>": value}}, nothing else. */
  private static ObjectNode wrapped(String name, ObjectNode value) {
    ObjectNode wrapper = TensorSchemas.object();
    wrapper.putObject("properties").set(name, value);
    wrapper.putArray("required").add(name);
    return wrapper;
  }

  /** One object per batch item, as many as the batch dim allows. */
  private ObjectNode batchItems(ObjectNode item) {
    DimSpec batch = tensors.batchDim();
    ObjectNode items = TensorSchemas.NODES.objectNode().put("type", "array").put("minItems", Math.max(1, batch.min()));
    if (batch.max() < Long.MAX_VALUE) {
      items.put("maxItems", batch.max());
    }
    return items.set("items", item);
  }

  /**
   * {@code {"id", "parameters", "outputs", "inputs": [{"name", "shape", "datatype", "data", "parameters"}]}}: each
   * input once, its datatype the contract's, its data flat or nested as its shape says; {@code parameters} and
   * {@code outputs} are read and ignored (every output is answered).
   */
  private ObjectNode openInferenceRequest() {
    ObjectNode request = TensorSchemas.object();
    ObjectNode properties = request.putObject("properties");
    List<ObjectNode> inputs = new ArrayList<>();
    for (InputSpec input : contract.inputs()) {
      ObjectNode item = TensorSchemas.object();
      ObjectNode members = item.putObject("properties");
      members.putObject("name").put("const", input.name());
      members.set("shape", withAndWithoutBatchAxis(tensors.shape(input.shape(), true),
          tensors.shape(input.shape(), false), "oneOf"));
      members.putObject("datatype").put("const", OpenInference.datatype(input.dtype()));
      ArrayNode data = members.putObject("data").putArray("anyOf");
      data.add(TensorSchemas.flat(tensors.inputElement(input))).add(tensors.input(input, true));
      if (tensors.unbatchedAllowed()) {
        data.add(tensors.input(input, false));
      }
      members.putObject("parameters");
      item.putArray("required").add("name").add("shape").add("datatype").add("data");
      inputs.add(item);
    }
    properties.putObject("inputs").put("type", "array")
        .put("minItems", contract.inputs().stream().filter(input -> !input.optional()).count())
        .put("maxItems", contract.inputs().size())
        .set("items", oneOf(inputs));
    properties.putObject("id").put("type", "string");
    properties.putObject("parameters");
    properties.putObject("outputs");
    request.putArray("required").add("inputs");
    return request;
  }

  /** {@code {"model_name", "id", "outputs": [{"name", "datatype", "shape", "data"}]}}: every output, data flat. */
  private ObjectNode openInferenceAnswer() {
    ObjectNode answer = TensorSchemas.object();
    ObjectNode properties = answer.putObject("properties");
    properties.putObject("model_name").put("const", modelName);
    properties.putObject("id").put("type", "string").put("description", "the request's id, where it gave one");
    List<ObjectNode> outputs = new ArrayList<>();
    for (OutputSpec output : contract.outputs()) {
      ObjectNode item = TensorSchemas.object();
      ObjectNode members = item.putObject("properties");
      members.putObject("name").put("const", output.name());
      ArrayNode datatypes = members.putObject("datatype").putArray("enum");
      if (output.labels().isEmpty()) {
        OpenInference.answerDatatypes(output.dtype()).forEach(datatypes::add);
      } else {
        datatypes.add(OpenInference.BYTES);
      }
      members.set("shape", withAndWithoutBatchAxis(tensors.shape(TensorSchemas.answered(output), true),
          tensors.shape(TensorSchemas.answered(output), false), "oneOf"));
      members.set("data", TensorSchemas.flat(TensorSchemas.outputElement(output)));
      item.putArray("required").add("name").add("datatype").add("shape").add("data");
      outputs.add(item);
    }
    properties.putObject("outputs").put("type", "array")
        .put("minItems", contract.outputs().size()).put("maxItems", contract.outputs().size())
        .set("items", oneOf(outputs));
    answer.putArray("required").add("model_name").add("outputs");
    return answer;
  }
}
