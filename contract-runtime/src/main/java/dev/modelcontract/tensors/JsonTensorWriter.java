package dev.modelcontract.tensors;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/** Encodes named tensors as one JSON object of nested arrays, streaming from the primitive arrays. */
public final class JsonTensorWriter {

  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
  /** NaN and infinities as the bare tokens numpy's and Python's json write, not as strings. */
  private static final JsonFactory NON_FINITE_TOKENS = JsonFactory.builder()
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();

  private final JsonFactory factory;

  /** Writes NaN and infinities as strings ({@code "NaN"}), which every JSON parser reads. */
  public JsonTensorWriter() {
    this(JSON);
  }

  private JsonTensorWriter(JsonFactory factory) {
    this.factory = factory;
  }

  /** A writer of NaN and infinities as bare tokens ({@code NaN}, {@code Infinity}), as Python's json writes them. */
  public static JsonTensorWriter withNonFiniteTokens() {
    return new JsonTensorWriter(NON_FINITE_TOKENS);
  }

  /** Writes the tensors in map order; the stream is flushed but not closed. */
  public void write(Map<String, ? extends Tensor> tensors, OutputStream out) {
    write(JsonForm.NAMED, tensors, out);
  }

  /**
   * Writes the tensors in the form a request came in: named, under {@code outputs}, or as TensorFlow Serving's
   * {@code predictions}, one object per batch item (every tensor's first axis is the batch axis). Open Inference
   * Protocol answers name their model: {@link #writeOpenInference}.
   */
  public void write(JsonForm form, Map<String, ? extends Tensor> tensors, OutputStream out) {
    if (form == JsonForm.OPEN_INFERENCE) {
      throw new IllegalArgumentException("an Open Inference Protocol answer names its model: writeOpenInference");
    }
    try (JsonGenerator generator = factory.createGenerator(ObjectWriteContext.empty(), out)) {
      generator.writeStartObject();
      switch (form) {
        case NAMED -> writeNamed(generator, tensors);
        case INPUTS -> {
          generator.writeName("outputs");
          generator.writeStartObject();
          writeNamed(generator, tensors);
          generator.writeEndObject();
        }
        case INSTANCES -> writePredictions(generator, tensors);
        case OPEN_INFERENCE -> throw new IllegalStateException();
      }
      generator.writeEndObject();
    }
  }

  /**
   * Writes an Open Inference Protocol answer: {@code {"model_name", "id", "outputs": [{"name", "datatype", "shape",
   * "data"}]}}, data flat in row-major order.
   *
   * @param id the request's id, repeated; null where it had none
   */
  public void writeOpenInference(String modelName, String id, Map<String, ? extends Tensor> tensors,
      OutputStream out) {
    try (JsonGenerator generator = factory.createGenerator(ObjectWriteContext.empty(), out)) {
      generator.writeStartObject();
      generator.writeStringProperty("model_name", modelName);
      if (id != null) {
        generator.writeStringProperty("id", id);
      }
      generator.writeName("outputs");
      generator.writeStartArray();
      for (Map.Entry<String, ? extends Tensor> entry : tensors.entrySet()) {
        Tensor tensor = entry.getValue();
        generator.writeStartObject();
        generator.writeStringProperty("name", entry.getKey());
        generator.writeStringProperty("datatype", OpenInference.datatype(tensor));
        generator.writeName("shape");
        generator.writeStartArray();
        for (long dim : tensor.shape()) {
          generator.writeNumber(dim);
        }
        generator.writeEndArray();
        generator.writeName("data");
        generator.writeStartArray();
        writeValues(generator, tensor, 0, tensor.size());
        generator.writeEndArray();
        generator.writeEndObject();
      }
      generator.writeEndArray();
      generator.writeEndObject();
    }
  }

  private static void writeNamed(JsonGenerator generator, Map<String, ? extends Tensor> tensors) {
    for (Map.Entry<String, ? extends Tensor> entry : tensors.entrySet()) {
      generator.writeName(entry.getKey());
      Tensor tensor = entry.getValue();
      writeAxis(generator, tensor, tensor.shape(), 0, 0);
    }
  }

  private static void writePredictions(JsonGenerator generator, Map<String, ? extends Tensor> tensors) {
    generator.writeName("predictions");
    generator.writeStartArray();
    long rows = tensors.values().iterator().next().dim(0);
    for (int row = 0; row < rows; row++) {
      generator.writeStartObject();
      for (Map.Entry<String, ? extends Tensor> entry : tensors.entrySet()) {
        Tensor tensor = entry.getValue();
        long[] shape = tensor.shape();
        int perRow = (int) (Tensor.sizeOf(shape) / shape[0]);
        generator.writeName(entry.getKey());
        writeAxis(generator, tensor, Arrays.copyOfRange(shape, 1, shape.length), 0, row * perRow);
      }
      generator.writeEndObject();
    }
    generator.writeEndArray();
  }

  /** Writes the sub-tensor starting at {@code offset} from {@code axis} inward; returns the next offset. */
  private static int writeAxis(JsonGenerator generator, Tensor tensor, long[] shape, int axis, int offset) {
    if (axis == shape.length) {
      writeValues(generator, tensor, offset, 1);
      return offset + 1;
    }
    generator.writeStartArray();
    int next = offset;
    if (axis == shape.length - 1) {
      writeValues(generator, tensor, offset, (int) shape[axis]);
      next += (int) shape[axis];
    } else {
      for (long i = 0; i < shape[axis]; i++) {
        next = writeAxis(generator, tensor, shape, axis + 1, next);
      }
    }
    generator.writeEndArray();
    return next;
  }

  /** One row of values: the tensor's type is looked at once per row, not per value. */
  private static void writeValues(JsonGenerator generator, Tensor tensor, int from, int count) {
    int to = from + count;
    if (tensor instanceof FloatTensor floats) {
      float[] values = floats.values();
      for (int i = from; i < to; i++) {
        generator.writeNumber(values[i]);
      }
    } else if (tensor instanceof DoubleTensor doubles) {
      double[] values = doubles.values();
      for (int i = from; i < to; i++) {
        generator.writeNumber(values[i]);
      }
    } else if (tensor instanceof LongTensor longs) {
      long[] values = longs.values();
      for (int i = from; i < to; i++) {
        generator.writeNumber(values[i]);
      }
    } else if (tensor instanceof BooleanTensor booleans) {
      boolean[] values = booleans.values();
      for (int i = from; i < to; i++) {
        generator.writeBoolean(values[i]);
      }
    } else {
      String[] values = ((StringTensor) tensor).values();
      for (int i = from; i < to; i++) {
        generator.writeString(values[i]);
      }
    }
  }
}
