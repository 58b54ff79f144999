package dev.modelcontract.tensors;

import java.io.OutputStream;
import java.util.Map;

/**
 * How a request's tensors were wrapped in its body, and so where a value sits in the body as sent and how the JSON
 * answer is wrapped. Bodies of named arrays (.npy, .npz, CSV, a JSON object of named tensors) are {@link #NAMED};
 * the JSON envelopes are {@link InputsEnvelope}, {@link InstancesEnvelope} and {@link OpenInferenceEnvelope}.
 */
public sealed interface Envelope permits NamedEnvelope, RowsEnvelope, InputsEnvelope, InstancesEnvelope,
    OpenInferenceEnvelope {

  Envelope NAMED = NamedEnvelope.INSTANCE;

  /** Named arrays cut from a body's rows, starting at its row {@code firstRow} (from 0). */
  static Envelope rowsFrom(long firstRow) {
    return firstRow == 0 ? NAMED : new RowsEnvelope(firstRow);
  }

  /** The JSON form this envelope reads and answers in. */
  JsonForm form();

  /** Where the value at a pointer into the request's tensors ({@code /input_1/0/3}) sits in the body as sent. */
  String locate(String tensorPointer);

  /** Whether the body held batch items without their batch axis, so the request must bind as a batch. */
  default boolean holdsBatchItems() {
    return false;
  }

  /** Writes the JSON answer to the request: its outputs, wrapped as the request was. */
  void writeAnswer(JsonTensorWriter writer, String modelName, Map<String, ? extends Tensor> outputs, OutputStream out);
}
