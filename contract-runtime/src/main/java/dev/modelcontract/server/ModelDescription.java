package dev.modelcontract.server;

import java.util.Arrays;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A multi-model endpoint's answer to {@code GET /models/NAME}, in the shape of SageMaker's multi-model server
 * (awslabs/multi-model-server's {@code DescribeModelResponse}), so that tools written against it read it: the name
 * and URL, the engine, the inference threads as its workers, the batching, and {@code status}, where the model
 * stands ({@link ModelRegistry.State}): {@code LOADING} while it loads and is checked, {@code READY} once it serves,
 * {@code UNLOADING} once its unload has begun. Only a {@code READY} model is invoked.
 */
final class ModelDescription {

  /** The engine every model runs on, in DJL's name for it. */
  static final String ENGINE = "PyTorch";

  private ModelDescription() {}

  static void write(JsonGenerator json, ModelRegistry.Entry entry, ServerConfig config) {
    json.writeStringProperty("modelName", entry.name());
    json.writeStringProperty("modelUrl", entry.url());
    json.writeStringProperty("engine", ENGINE);
    json.writeNumberProperty("minWorkers", config.workers());
    json.writeNumberProperty("maxWorkers", config.workers());
    LoadedModel model = entry.model();
    if (model != null) {
      json.writeNumberProperty("batchSize", model.batchSize());
    }
    json.writeNumberProperty("maxBatchDelay", config.batching().delay().toMillis());
    json.writeStringProperty("status", entry.state().name());
    json.writeArrayPropertyStart("workers");
    // the inference threads start once the model has passed its checks, and stop at its unload's end
    for (int worker = 1; model != null && worker <= config.workers(); worker++) {
      json.writeStartObject();
      json.writeStringProperty("id", "inference-" + worker);
      json.writeStringProperty("startTime", model.loadedAt().toString());
      json.writeStringProperty("status", entry.state().name());
      json.writeBooleanProperty("gpu", false);
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** The JSON Schema of {@link #write}'s answers, for the OpenAPI document. */
  static ObjectNode schema() {
    ObjectNode schema = TensorSchemas.object();
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("modelName").put("type", "string");
    properties.putObject("modelUrl").put("type", "string").put("description", "the url POST /models gave");
    properties.putObject("engine").put("const", ENGINE);
    properties.putObject("minWorkers").put("type", "integer").put("minimum", 1);
    properties.putObject("maxWorkers").put("type", "integer").put("minimum", 1);
    properties.putObject("batchSize").put("type", "integer").put("minimum", 1)
        .put("description", "the most rows one forward pass takes; once the model is loaded");
    properties.putObject("maxBatchDelay").put("type", "integer").put("minimum", 0)
        .put("description", "milliseconds a free inference thread waits for more requests to batch");
    properties.set("status", states().put("description", "LOADING while the model loads and is checked, READY once"
        + " it serves, UNLOADING once its unload has begun; only a READY model is invoked"));
    ObjectNode worker = TensorSchemas.object();
    ObjectNode members = worker.putObject("properties");
    members.putObject("id").put("type", "string");
    members.putObject("startTime").put("type", "string").put("format", "date-time");
    members.set("status", states());
    members.putObject("gpu").put("const", false);
    worker.putArray("required").add("id").add("startTime").add("status").add("gpu");
    properties.putObject("workers").put("type", "array").put("description", "the model's inference threads; none"
        + " while it loads").set("items", worker);
    schema.putArray("required").add("modelName").add("modelUrl").add("engine").add("minWorkers").add("maxWorkers")
        .add("maxBatchDelay").add("status").add("workers");
    return schema;
  }

  private static ObjectNode states() {
    ObjectNode states = TensorSchemas.NODES.objectNode();
    ArrayNode names = states.putArray("enum");
    Arrays.stream(ModelRegistry.State.values()).map(Enum::name).forEach(names::add);
    return states;
  }
}
