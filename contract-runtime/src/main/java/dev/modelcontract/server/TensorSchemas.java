package dev.modelcontract.server;

import dev.modelcontract.contract.BatchSpec;
import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.OutputSpec;
import dev.modelcontract.contract.SkewSpec;
import dev.modelcontract.contract.TensorShape;
import dev.modelcontract.enforcement.SkewGuard;
import dev.modelcontract.tensors.ElementType;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Schemas (2020-12) of a contract's tensors as JSON carries them: nested arrays bounded by the contract's dims,
 * elements typed by the dtype (inputs also by their range), outputs answered as labels as an enum of the labels. Each
 * comes with the batch axis or, where the contract allows unbatched requests, without it: a batch item's shape,
 * which is also the shape of one of TensorFlow Serving's {@code instances}.
 */
final class TensorSchemas {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** How {@code JsonTensorWriter} writes NaN and the infinities of float outputs. */
  private static final String NON_FINITE = "^(NaN|Infinity|-Infinity)$";

  private final ModelContract contract;

  TensorSchemas(ModelContract contract) {
    this.contract = contract;
  }

  /** Whether the contract has a batch axis. */
  boolean batched() {
    return contract.batch().isPresent();
  }

  /** Whether a request (and so its answer) may leave the batch axis out. */
  boolean unbatchedAllowed() {
    return contract.batch().map(BatchSpec::unbatchedRequests).orElse(false);
  }

  /** The bounds of the batch dim, where the contract has one. */
  DimSpec batchDim() {
    return contract.dim(contract.batch().orElseThrow().dim());
  }

  /**
   * Every input by name, each with the batch axis or each without it (a batch item), the optional ones not required;
   * nothing else.
   */
  ObjectNode inputs(boolean batchAxis) {
    ObjectNode named = object();
    ObjectNode properties = named.putObject("properties");
    ArrayNode required = named.putArray("required");
    for (InputSpec input : contract.inputs()) {
      properties.set(input.name(), input(input, batchAxis));
      if (!input.optional()) {
        required.add(input.name());
      }
    }
    return named;
  }

  /** Every output by name, each with the batch axis or each without it; all of them, nothing else. */
  ObjectNode outputs(boolean batchAxis) {
    ObjectNode named = object();
    ObjectNode properties = named.putObject("properties");
    ArrayNode required = named.putArray("required");
    for (OutputSpec output : contract.outputs()) {
      properties.set(output.name(), output(output, batchAxis));
      required.add(output.name());
    }
    return named;
  }

  /** An input's value as nested arrays. */
  ObjectNode input(InputSpec input, boolean batchAxis) {
    ObjectNode value = arrays(dims(input.shape(), batchAxis), inputElement(input));
    List<String> notes = new ArrayList<>();
    if (!input.features().isEmpty()) {
      notes.add("the last axis holds the features " + String.join(", ", input.features()) + ", in that order");
    }
    input.normalize().ifPresent(normalization -> notes.add("raw values, normalized by the server with the training"
        + " statistics " + normalization.describe()));
    input.skew().filter(SkewSpec::refuse).ifPresent(skew -> notes.add("a request whose values lie far from them"
        + " (a feature's median beyond " + SkewGuard.number(skew.limit()) + " training standard deviations, or"
        + " values that look already normalized, swapped or in another unit) is refused 422 input-skew"));
    if (input.allowNonFinite()) {
      notes.add("also NaN, Infinity and -Infinity as bare tokens, as Python's json writes them (not JSON, so not"
          + " described here)");
    }
    if (!notes.isEmpty()) {
      value.put("description", String.join("; ", notes));
    }
    return value;
  }

  /** An output's value as nested arrays. */
  ObjectNode output(OutputSpec output, boolean batchAxis) {
    return arrays(dims(answered(output), batchAxis), outputElement(output));
  }

  /** The Open Inference Protocol's {@code shape} of an input or output: one size per axis, within its dim. */
  ObjectNode shape(TensorShape shape, boolean batchAxis) {
    List<Dim> dims = dims(shape, batchAxis);
    ObjectNode schema = NODES.objectNode().put("type", "array").put("minItems", dims.size())
        .put("maxItems", dims.size());
    ArrayNode axes = schema.putArray("prefixItems");
    for (Dim dim : dims) {
      ObjectNode size = axes.addObject().put("type", "integer");
      if (dim instanceof Dim.Fixed fixed) {
        size.put("const", fixed.size());
      } else {
        bound(size, "minimum", "maximum", contract.dim(((Dim.Named) dim).name()));
      }
    }
    return schema;
  }

  /** The values of a tensor flat, in row-major order, as the Open Inference Protocol's {@code data} may hold them. */
  static ObjectNode flat(ObjectNode element) {
    ObjectNode schema = NODES.objectNode().put("type", "array");
    return schema.set("items", element);
  }

  /** The shape an output is answered in: the declared one, less its last axis where it is answered as labels. */
  static TensorShape answered(OutputSpec output) {
    TensorShape shape = output.shape();
    return output.labels().isEmpty() ? shape : new TensorShape(shape.dims().subList(0, shape.rank() - 1));
  }

  /** One value of an input: of its dtype, within its range, finite. */
  ObjectNode inputElement(InputSpec input) {
    DType dtype = input.dtype();
    double min = dtype.kind() == DType.Kind.FLOAT ? -ElementType.largestMagnitude(dtype) : dtype.min();
    double max = dtype.kind() == DType.Kind.FLOAT ? ElementType.largestMagnitude(dtype) : dtype.max();
    if (input.range().isPresent()) {
      min = Math.max(min, input.range().get().min());
      max = Math.min(max, input.range().get().max());
    }
    return switch (dtype.kind()) {
      case FLOAT -> NODES.objectNode().put("type", "number").put("minimum", min).put("maximum", max);
      case INTEGER -> NODES.objectNode().put("type", "integer")
          .put("minimum", Math.max((long) Math.ceil(min), dtype.minLong()))
          .put("maximum", dtype == DType.INT64 && max >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.floor(max));
      case BOOL -> NODES.objectNode().put("type", "boolean");
    };
  }

  /** One value of an output as answered: a label, a probability, or a value of its dtype. */
  static ObjectNode outputElement(OutputSpec output) {
    if (!output.labels().isEmpty()) {
      ObjectNode label = NODES.objectNode().put("type", "string");
      output.labels().forEach(label.putArray("enum")::add);
      return label;
    }
    return switch (output.dtype().kind()) {
      case FLOAT -> {
        // a number, or NaN or an infinity as the string the writer puts in its place
        ObjectNode value = NODES.objectNode();
        value.putArray("type").add("number").add("string");
        value.put("pattern", NON_FINITE);
        yield output.softmax() ? value.put("minimum", 0).put("maximum", 1) : value;
      }
      case INTEGER -> NODES.objectNode().put("type", "integer");
      case BOOL -> NODES.objectNode().put("type", "boolean");
    };
  }

  /** An object of the members its properties name, nothing else. */
  static ObjectNode object() {
    return NODES.objectNode().put("type", "object").put("additionalProperties", false);
  }

  private List<Dim> dims(TensorShape shape, boolean batchAxis) {
    return batchAxis || !batched() ? shape.dims() : shape.dims().subList(1, shape.rank());
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
      bound(array, "minItems", "maxItems", contract.dim(((Dim.Named) dim).name()));
    }
    return array.set("items", arrays(dims.subList(1, dims.size()), element));
  }

  private static void bound(ObjectNode schema, String minKeyword, String maxKeyword, DimSpec bounds) {
    schema.put(minKeyword, bounds.min());
    if (bounds.max() < Long.MAX_VALUE) {
      schema.put(maxKeyword, bounds.max());
    }
  }
}
