package dev.modelcontract.tensors;

import java.io.OutputStream;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/** Encodes named tensors as one JSON object of nested arrays, streaming from the float arrays. */
public final class JsonTensorWriter {

  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  /** Writes the tensors in map order; the stream is flushed but not closed. */
  public void write(Map<String, FloatTensor> tensors, OutputStream out) {
    try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      generator.writeStartObject();
      for (Map.Entry<String, FloatTensor> entry : tensors.entrySet()) {
        generator.writeName(entry.getKey());
        FloatTensor tensor = entry.getValue();
        writeAxis(generator, tensor.shape(), tensor.values(), 0, 0);
      }
      generator.writeEndObject();
    }
  }

  /** Writes the sub-tensor starting at {@code offset} from {@code axis} inward; returns the next offset. */
  private static int writeAxis(JsonGenerator generator, long[] shape, float[] values, int axis, int offset) {
    if (axis == shape.length) {
      generator.writeNumber(values[offset]);
      return offset + 1;
    }
    generator.writeStartArray();
    int next = offset;
    if (axis == shape.length - 1) {
      for (long i = 0; i < shape[axis]; i++) {
        generator.writeNumber(values[next++]);
      }
    } else {
      for (long i = 0; i < shape[axis]; i++) {
        next = writeAxis(generator, shape, values, axis + 1, next);
      }
    }
    generator.writeEndArray();
    return next;
  }
}
