package dev.modelcontract.server;

import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.OutputSpec;
import dev.modelcontract.contract.TensorShape;
import dev.modelcontract.tensors.OpenInference;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Open Inference Protocol's metadata answers: the server's ({@code GET /v2}) and the model's
 * ({@code GET /v2/models/NAME}), the latter read from the contract: each input and output with its name, its
 * protocol datatype and its shape, batch axis included, {@code -1} for a named (dynamic) dim.
 */
final class OpenInferenceMetadata {

  /** The server's name in {@code GET /v2}. */
  static final String SERVER_NAME = "model-contract";
  /** What serves the model, in the protocol's platform names (Triton's). */
  static final String PLATFORM = "pytorch_torchscript";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private OpenInferenceMetadata() {}

  /** {@code {"name", "version", "extensions": []}}: no protocol extension is served. */
  static ObjectNode server(String version) {
    ObjectNode server = TensorSchemas.NODES.objectNode().put("name", SERVER_NAME).put("version", version);
    server.putArray("extensions");
    return server;
  }

  /** {@code {"name", "platform", "inputs": [{"name", "datatype", "shape"}], "outputs": [...]}}. */
  static ObjectNode model(ModelContract contract, String name) {
    ObjectNode model = TensorSchemas.NODES.objectNode().put("name", name).put("platform", PLATFORM);
    ArrayNode inputs = model.putArray("inputs");
    for (InputSpec input : contract.inputs()) {
      tensor(inputs, input.name(), OpenInference.datatype(input.dtype()), input.shape());
    }
    ArrayNode outputs = model.putArray("outputs");
    for (OutputSpec output : contract.outputs()) {
      tensor(outputs, output.name(), output.labels().isEmpty() ? OpenInference.answerDatatype(output.dtype())
          : OpenInference.BYTES, TensorSchemas.answered(output));
    }
    return model;
  }

  static byte[] bytes(ObjectNode node) {
    return JSON.writeValueAsBytes(node);
  }

  private static void tensor(ArrayNode tensors, String name, String datatype, TensorShape shape) {
    ArrayNode sizes = tensors.addObject().put("name", name).put("datatype", datatype).putArray("shape");
    for (Dim dim : shape.dims()) {
      sizes.add(dim instanceof Dim.Fixed fixed ? fixed.size() : -1);
    }
  }
}
