package dev.modelcontract.tensors;

import java.io.OutputStream;
import java.util.Map;

/** {@code {"inputs": {"input_1": …}}}, answered {@code {"outputs": {"output_1": …}}}. */
enum InputsEnvelope implements Envelope {
  INSTANCE;

  @Override
  public JsonForm form() {
    return JsonForm.INPUTS;
  }

  @Override
  public String locate(String tensorPointer) {
    return "/inputs" + tensorPointer;
  }

  @Override
  public void writeAnswer(JsonTensorWriter writer, String modelName, Map<String, ? extends Tensor> outputs,
      OutputStream out) {
    writer.write(JsonForm.INPUTS, outputs, out);
  }
}
