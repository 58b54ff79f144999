package dev.modelcontract.tensors;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.JsonPointer;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * TensorFlow Serving's rows, {@code {"instances": [{"input_1": …, "input_2": …}, …]}}: each row one batch item
 * without the batch axis, stacked along a new first axis; answered {@code {"predictions": [{"output_1": …}, …]}}.
 */
enum InstancesEnvelope implements Envelope {
  INSTANCE;

  @Override
  public JsonForm form() {
    return JsonForm.INSTANCES;
  }

  /** {@code /name/row/…} in the stacked tensors is {@code /instances/row/name/…} in the body. */
  @Override
  public String locate(String tensorPointer) {
    String[] parts = tensorPointer.split("/", 4);
    return parts.length < 3 ? "/instances" : "/instances/" + parts[2] + "/" + parts[1]
        + (parts.length == 4 ? "/" + parts[3] : "");
  }

  @Override
  public boolean holdsBatchItems() {
    return true;
  }

  @Override
  public void writeAnswer(JsonTensorWriter writer, String modelName, Map<String, ? extends Tensor> outputs,
      OutputStream out) {
    writer.write(JsonForm.INSTANCES, outputs, out);
  }

  /** Reads the rows the parser is at (the value of {@code instances}) and stacks them. */
  static Map<String, Tensor> read(JsonParser parser, JsonTensorReader reader)
      throws TensorFormatException, ContractViolation {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new TensorFormatException("/instances", "'instances' must be an array of objects, one per batch item,"
          + " e.g. {\"instances\": [{\"input_1\": [0.5, 1.0]}]}");
    }
    List<Map<String, Tensor>> rows = new ArrayList<>();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      String at = "/instances/" + rows.size();
      reader.checkInstanceCount(rows.size());
      if (token != JsonToken.START_OBJECT) {
        throw new TensorFormatException(at, "each instance must be an object of named tensors");
      }
      parser.nextToken();
      Map<String, Tensor> row = reader.named(parser, at);
      if (!rows.isEmpty()) {
        matchesFirst(row, rows.get(0), at, rows.size());
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new TensorFormatException("/instances", "'instances' holds no instance");
    }
    Map<String, Tensor> stacked = new LinkedHashMap<>();
    for (String name : rows.get(0).keySet()) {
      stacked.put(name, stack(rows.stream().map(row -> row.get(name)).toList()));
    }
    return stacked;
  }

  private static void matchesFirst(Map<String, Tensor> row, Map<String, Tensor> first, String at, int number)
      throws TensorFormatException {
    if (!row.keySet().equals(first.keySet())) {
      throw new TensorFormatException(at, "instance " + number + " names " + row.keySet() + ", but the first names "
          + first.keySet());
    }
    for (Map.Entry<String, Tensor> value : row.entrySet()) {
      Tensor firstRow = first.get(value.getKey());
      String where = at + "/" + JsonPointer.escape(value.getKey());
      if (firstRow.array().getClass() != value.getValue().array().getClass()) {
        throw new TensorFormatException(where, "'" + value.getKey() + "' holds other values here than in the first"
            + " instance (numbers, strings and booleans do not mix)");
      }
      if (!Arrays.equals(value.getValue().shape(), firstRow.shape())) {
        throw new TensorFormatException(where, "'" + value.getKey() + "' has shape "
            + Arrays.toString(value.getValue().shape()) + " here, but " + Arrays.toString(firstRow.shape())
            + " in the first instance");
      }
    }
  }

  /** Tensors of one shape and storage as one, along a new first axis. */
  private static Tensor stack(List<Tensor> rows) {
    Tensor first = rows.get(0);
    int size = first.size();
    Object array = Array.newInstance(first.array().getClass().getComponentType(), size * rows.size());
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i).array(), 0, array, i * size, size);
    }
    long[] shape = new long[first.rank() + 1];
    shape[0] = rows.size();
    System.arraycopy(first.shape(), 0, shape, 1, first.rank());
    return Tensor.of(shape, array);
  }
}
