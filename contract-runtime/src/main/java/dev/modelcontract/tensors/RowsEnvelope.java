package dev.modelcontract.tensors;

import java.io.OutputStream;
import java.util.Map;

/**
 * Named arrays cut from a larger body's rows (a batch transform job's CSV records, queued a group of rows at a time):
 * a place in the group is the same place {@code firstRow} rows further down the body as sent.
 *
 * @param firstRow the body's row where the group starts, from 0
 */
record RowsEnvelope(long firstRow) implements Envelope {

  @Override
  public JsonForm form() {
    return JsonForm.NAMED;
  }

  /** {@code /features/3/2} in a group from row 256 is {@code /features/259/2} in the body. */
  @Override
  public String locate(String tensorPointer) {
    int name = tensorPointer.indexOf('/', 1);
    if (name < 0) {
      return tensorPointer;
    }
    int row = tensorPointer.indexOf('/', name + 1);
    String index = row < 0 ? tensorPointer.substring(name + 1) : tensorPointer.substring(name + 1, row);
    try {
      return tensorPointer.substring(0, name + 1) + (Long.parseLong(index) + firstRow)
          + (row < 0 ? "" : tensorPointer.substring(row));
    } catch (NumberFormatException e) {
      return tensorPointer;
    }
  }

  @Override
  public void writeAnswer(JsonTensorWriter writer, String modelName, Map<String, ? extends Tensor> outputs,
      OutputStream out) {
    writer.write(JsonForm.NAMED, outputs, out);
  }
}
