package dev.modelcontract.tensors;

import java.io.OutputStream;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/** Encodes named tensors as one JSON object of nested arrays, streaming from the primitive arrays. */
public final class JsonTensorWriter {

  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  /** Writes the tensors in map order; the stream is flushed but not closed. */
  public void write(Map<String, ? extends Tensor> tensors, OutputStream out) {
    try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      generator.writeStartObject();
      for (Map.Entry<String, ? extends Tensor> entry : tensors.entrySet()) {
        generator.writeName(entry.getKey());
        Tensor tensor = entry.getValue();
        writeAxis(generator, tensor, tensor.shape(), 0, 0);
      }
      generator.writeEndObject();
    }
  }

  /** Writes the sub-tensor starting at {@code offset} from {@code axis} inward; returns the next offset. */
  private static int writeAxis(JsonGenerator generator, Tensor tensor, long[] shape, int axis, int offset) {
    if (axis == shape.length) {
      writeValue(generator, tensor, offset);
      return offset + 1;
    }
    generator.writeStartArray();
    int next = offset;
    for (long i = 0; i < shape[axis]; i++) {
      next = writeAxis(generator, tensor, shape, axis + 1, next);
    }
    generator.writeEndArray();
    return next;
  }

  private static void writeValue(JsonGenerator generator, Tensor tensor, int index) {
    if (tensor instanceof FloatTensor floats) {
      generator.writeNumber(floats.values()[index]);
    } else if (tensor instanceof DoubleTensor doubles) {
      generator.writeNumber(doubles.values()[index]);
    } else if (tensor instanceof LongTensor longs) {
      generator.writeNumber(longs.values()[index]);
    } else if (tensor instanceof BooleanTensor booleans) {
      generator.writeBoolean(booleans.values()[index]);
    } else {
      generator.writeString(((StringTensor) tensor).values()[index]);
    }
  }
}
