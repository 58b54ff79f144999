package dev.modelcontract.testkit;

import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.server.MediaTypes;
import dev.modelcontract.tensors.OpenInference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The golden requests of a model again, in the JSON forms the conformance suite does not send: under {@code inputs},
 * as TensorFlow Serving's {@code instances} (one per batch item), as the Open Inference Protocol's list (data flat,
 * and once nested), all of them as one JSON Lines body, and with each answer type an Accept header can ask for.
 */
final class JsonFormRequests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A request to /invocations and the status the server answers it with. */
  record Request(String name, String contentType, String accept, byte[] body, int status) {}

  private JsonFormRequests() {}

  static List<Request> of(ModelContract contract, List<GoldenCase> golden) {
    List<Request> requests = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (GoldenCase pair : golden) {
      ObjectNode named = (ObjectNode) JSON.readTree(pair.requestBody());
      Map<String, ObjectNode> forms = new LinkedHashMap<>();
      forms.put("under 'inputs'", JSON.createObjectNode().set("inputs", named));
      if (contract.batch().isPresent()) {
        forms.put("as 'instances'", instances(contract, named));
      }
      forms.put("in the Open Inference Protocol", openInference(contract, named, pair.name(), false));
      forms.forEach((form, body) -> {
        requests.add(json("golden " + pair.name() + " " + form, null, body));
        lines.add(body.toString());
      });
      lines.add(named.toString());
    }
    ObjectNode first = (ObjectNode) JSON.readTree(golden.get(0).requestBody());
    requests.add(json("Open Inference Protocol with nested data", null, openInference(contract, first, "nested",
        true)));
    requests.add(json("answered as .npz", MediaTypes.NPZ, first));
    requests.add(new Request("answered as .npy, which carries one output", MediaTypes.JSON, MediaTypes.NPY,
        first.toString().getBytes(StandardCharsets.UTF_8), contract.outputs().size() == 1 ? 200 : 406));
    requests.add(new Request("every form as JSON Lines", MediaTypes.JSON_LINES, null,
        (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), 200));
    return requests;
  }

  private static Request json(String name, String accept, ObjectNode body) {
    return new Request(name, MediaTypes.JSON, accept, body.toString().getBytes(StandardCharsets.UTF_8), 200);
  }

  /** One instance per batch item; a request without the batch axis is one item. */
  private static ObjectNode instances(ModelContract contract, ObjectNode named) {
    ArrayNode rows = JSON.createArrayNode();
    InputSpec some = contract.inputs().stream().filter(input -> named.has(input.name())).findFirst().orElseThrow();
    boolean batched = shape(named.get(some.name())).size() == some.shape().rank();
    int count = batched ? named.get(some.name()).size() : 1;
    for (int row = 0; row < count; row++) {
      ObjectNode instance = rows.addObject();
      for (String name : named.propertyNames()) {
        instance.set(name, batched ? named.get(name).get(row) : named.get(name));
      }
    }
    return JSON.createObjectNode().set("instances", rows);
  }

  /** {@code {"id", "inputs": [{"name", "shape", "datatype", "data"}]}}, data flat or as nested as the shape. */
  private static ObjectNode openInference(ModelContract contract, ObjectNode named, String id, boolean nested) {
    ObjectNode request = JSON.createObjectNode().put("id", id);
    ArrayNode inputs = request.putArray("inputs");
    for (String name : named.propertyNames()) {
      JsonNode value = named.get(name);
      ObjectNode input = inputs.addObject().put("name", name);
      shape(value).forEach(input.putArray("shape")::add);
      input.put("datatype", OpenInference.datatype(contract.input(name).orElseThrow().dtype()));
      input.set("data", nested ? value : flat(value, JSON.createArrayNode()));
    }
    return request;
  }

  private static List<Integer> shape(JsonNode value) {
    List<Integer> shape = new ArrayList<>();
    for (JsonNode axis = value; axis.isArray(); axis = axis.get(0)) {
      shape.add(axis.size());
    }
    return shape;
  }

  private static ArrayNode flat(JsonNode value, ArrayNode into) {
    if (value.isArray()) {
      value.forEach(element -> flat(element, into));
    } else {
      into.add(value);
    }
    return into;
  }
}
