package dev.modelcontract.tensors;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.JsonPointer;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The Open Inference Protocol (KServe v2): {@code {"id", "inputs": [{"name", "shape", "datatype", "data"}, …]}},
 * data flat in row-major order or nested as the shape says; answered {@code {"model_name", "id", "outputs": [{"name",
 * "shape", "datatype", "data"}]}} with data flat.
 *
 * @param id the request's id, which the answer repeats; null where it had none
 * @param names the inputs' names in body order, to locate a value in the body's list
 * @param flatShapes per input, in body order, the shape whose row-major order its data was sent flat in; empty
 *     where the data was nested as the shape says (or has at most one axis), so a value's indices are the same
 */
record OpenInferenceEnvelope(String id, List<String> names, List<long[]> flatShapes) implements Envelope {

  OpenInferenceEnvelope {
    names = List.copyOf(names);
    flatShapes = List.copyOf(flatShapes);
  }

  /** An input list as read: the tensors by name in body order, and the shapes of those sent flat. */
  record Inputs(Map<String, Tensor> tensors, List<long[]> flatShapes) {}

  @Override
  public JsonForm form() {
    return JsonForm.OPEN_INFERENCE;
  }

  /** A value of an input is in that input's {@code data}: at its flat index where the data was sent flat. */
  @Override
  public String locate(String tensorPointer) {
    for (int index = 0; index < names.size(); index++) {
      String input = "/" + JsonPointer.escape(names.get(index));
      String data = "/inputs/" + index + "/data";
      if (tensorPointer.equals(input)) {
        return data;
      }
      if (tensorPointer.startsWith(input + "/")) {
        String element = tensorPointer.substring(input.length());
        long[] flat = flatShapes.get(index);
        return data + (flat.length == 0 ? element : "/" + flatIndex(element, flat));
      }
    }
    return "/inputs";
  }

  /** The row-major index of the value at {@code /i/j/…} in a shape. */
  private static long flatIndex(String element, long[] shape) {
    String[] indices = element.substring(1).split("/");
    long flat = 0;
    for (int axis = 0; axis < shape.length; axis++) {
      flat = flat * shape[axis] + Long.parseLong(indices[axis]);
    }
    return flat;
  }

  @Override
  public void writeAnswer(JsonTensorWriter writer, String modelName, Map<String, ? extends Tensor> outputs,
      OutputStream out) {
    writer.writeOpenInference(modelName, id, outputs, out);
  }

  /**
   * Reads the protocol's list of inputs the parser is at (the value of {@code inputs}). Each is read by its input's
   * declared type, and its datatype must be that type's ({@code FP32} for float32, …); {@code name} must come
   * before {@code data}.
   */
  static Inputs readInputs(JsonParser parser, JsonTensorReader reader)
      throws TensorFormatException, ContractViolation {
    Map<String, ElementType> types = reader.types();
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    List<long[]> flatShapes = new ArrayList<>();
    int index = 0;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken(), index++) {
      String at = "/inputs/" + index;
      if (token != JsonToken.START_OBJECT) {
        throw new TensorFormatException(at, "each Open Inference Protocol input is an object {\"name\", \"shape\","
            + " \"datatype\", \"data\"}");
      }
      String name = null;
      String datatype = null;
      long[] shape = null;
      Tensor data = null;
      for (JsonToken member = parser.nextToken(); member == JsonToken.PROPERTY_NAME; member = parser.nextToken()) {
        String key = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (key) {
          case "name" -> {
            name = text(parser, value, at + "/name");
            reader.checkDeclared(name, at + "/name");
          }
          case "datatype" -> datatype = text(parser, value, at + "/datatype");
          case "shape" -> shape = shape(parser, value, at + "/shape");
          case "data" -> {
            if (name == null) {
              throw new TensorFormatException(at + "/data", "put 'name' before 'data': the data is read by the"
                  + " named input's type");
            }
            data = JsonValueDecoder.decode(parser, name, at + "/data", types.get(name));
          }
          case "parameters" -> parser.skipChildren();
          default -> throw new TensorFormatException(at + "/" + JsonPointer.escape(key), "an Open Inference"
              + " Protocol input has name, shape, datatype, data and parameters, not '" + key + "'");
        }
      }
      if (name == null || shape == null || datatype == null || data == null) {
        throw new TensorFormatException(at, "an Open Inference Protocol input needs 'name', 'shape', 'datatype'"
            + " and 'data'");
      }
      ElementType type = types.get(name);
      if (type != null && !OpenInference.datatype(type.dtype()).equals(datatype)) {
        throw ContractViolation.ofValue(name, at + "/datatype", "datatype " + OpenInference.datatype(type.dtype())
            + " (the contract's " + type.dtype() + "; nothing is cast)", "datatype " + datatype);
      }
      if (Tensor.saturatedSizeOf(shape) != data.size() || (data.rank() > 1 && !Arrays.equals(data.shape(), shape))) {
        throw new TensorFormatException(at + "/data", "'" + name + "' has shape " + Arrays.toString(shape)
            + ", but its data holds " + (data.rank() > 1 ? "an array of shape " + Arrays.toString(data.shape())
            : data.size() + " values"));
      }
      if (tensors.put(name, data.reshaped(shape)) != null) {
        throw new TensorFormatException(at + "/name", "'" + name + "' appears twice in the body");
      }
      flatShapes.add(data.rank() > 1 || shape.length <= 1 ? new long[0] : shape);
    }
    return new Inputs(tensors, flatShapes);
  }

  private static String text(JsonParser parser, JsonToken value, String pointer) throws TensorFormatException {
    if (value != JsonToken.VALUE_STRING) {
      throw new TensorFormatException(pointer, "expected a string");
    }
    return parser.getString();
  }

  private static long[] shape(JsonParser parser, JsonToken value, String pointer) throws TensorFormatException {
    if (value != JsonToken.START_ARRAY) {
      throw new TensorFormatException(pointer, "a shape is a list of sizes, e.g. [1, 20, 4]");
    }
    long[] shape = new long[Tensor.MAX_RANK];
    int rank = 0;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          || parser.getLongValue() < 0 || rank == Tensor.MAX_RANK) {
        throw new TensorFormatException(pointer + "/" + rank, "a shape is a list of at most " + Tensor.MAX_RANK
            + " sizes of 0 or more");
      }
      shape[rank++] = parser.getLongValue();
    }
    return Arrays.copyOf(shape, rank);
  }
}
