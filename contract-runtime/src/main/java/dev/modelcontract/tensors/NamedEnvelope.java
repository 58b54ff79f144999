package dev.modelcontract.tensors;

import java.io.OutputStream;
import java.util.Map;

/** No envelope: {@code {"input_1": …, "input_2": …}} (or named arrays in another format), answered by name. */
enum NamedEnvelope implements Envelope {
  INSTANCE;

  @Override
  public JsonForm form() {
    return JsonForm.NAMED;
  }

  @Override
  public String locate(String tensorPointer) {
    return tensorPointer;
  }

  @Override
  public void writeAnswer(JsonTensorWriter writer, String modelName, Map<String, ? extends Tensor> outputs,
      OutputStream out) {
    writer.write(JsonForm.NAMED, outputs, out);
  }
}
