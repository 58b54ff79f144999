package dev.modelcontract.tensors;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;

/**
 * Decodes a JSON object of named tensors, {@code {"input_1": [[...]], "input_2": [[...]]}}, by streaming each
 * nested array straight into a float array: no tree of boxed numbers is ever built.
 *
 * <p>Every array must be rectangular and hold numbers only; integers are accepted, values outside float32 range
 * are not. Errors carry the JSON Pointer of the offending value.
 */
public final class JsonTensorReader {

  /** Deeper nesting than this is refused before it can exhaust the stack. */
  public static final int MAX_RANK = 16;

  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

  /**
   * Reads the whole object; the stream is read to its end but not closed.
   *
   * @throws TensorFormatException when the body is not a JSON object of rectangular numeric arrays
   * @throws IOException when the stream itself fails
   */
  public Map<String, FloatTensor> read(InputStream body) throws TensorFormatException, IOException {
    try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new TensorFormatException("", "the body must be a JSON object of named tensors, e.g. "
            + "{\"input_1\": [[0.5, 1.0]]}");
      }
      Map<String, FloatTensor> tensors = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        FloatTensor tensor = new ArrayDecoder(parser, "/" + escape(name)).decode();
        if (tensors.put(name, tensor) != null) {
          throw new TensorFormatException("/" + escape(name), "'" + name + "' appears twice in the body");
        }
      }
      if (parser.nextToken() != null) {
        throw new TensorFormatException("", "the body holds more than one JSON value");
      }
      return tensors;
    } catch (JacksonIOException e) {
      throw e.getCause();
    } catch (JacksonException e) {
      throw new TensorFormatException("", "the body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")"));
    }
  }

  static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  /** Decodes one value, a number or nested arrays, learning the shape from the first path to a number. */
  private static final class ArrayDecoder {
    private final JsonParser parser;
    private final String pointer;
    private final long[] shape = new long[MAX_RANK];
    private final boolean[] known = new boolean[MAX_RANK];
    private final int[] index = new int[MAX_RANK];
    private int rank = -1;
    private float[] values = new float[256];
    private int size;

    ArrayDecoder(JsonParser parser, String pointer) {
      this.parser = parser;
      this.pointer = pointer;
    }

    FloatTensor decode() throws TensorFormatException {
      value(0);
      return new FloatTensor(Arrays.copyOf(shape, Math.max(rank, 0)), Arrays.copyOf(values, size));
    }

    private void value(int depth) throws TensorFormatException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.START_ARRAY) {
        array(depth);
      } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        number(depth);
      } else {
        throw new TensorFormatException(at(depth), "expected a number or an array, found " + describe(token));
      }
    }

    private void array(int depth) throws TensorFormatException {
      if (rank >= 0 && depth >= rank) {
        throw new TensorFormatException(at(depth), "expected a number at depth " + rank + ", found an array");
      }
      if (depth == MAX_RANK) {
        throw new TensorFormatException(at(depth), "arrays are nested deeper than " + MAX_RANK + " levels");
      }
      int count = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        index[depth] = count++;
        value(depth + 1);
      }
      if (rank < 0) {
        throw new TensorFormatException(at(depth), "an empty array holds no tensor");
      }
      if (!known[depth]) {
        shape[depth] = count;
        known[depth] = true;
      } else if (shape[depth] != count) {
        throw new TensorFormatException(at(depth), "ragged array: expected " + shape[depth]
            + " elements on axis " + depth + ", as in the first row, but found " + count);
      }
    }

    private void number(int depth) throws TensorFormatException {
      if (rank < 0) {
        rank = depth;
      } else if (depth != rank) {
        throw new TensorFormatException(at(depth), "expected an array at depth " + depth + ", found a number");
      }
      float value = parser.getFloatValue();
      if (Float.isInfinite(value)) {
        throw new TensorFormatException(at(depth), "the value " + parser.getString()
            + " is outside the float32 range");
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[size++] = value;
    }

    private String at(int depth) {
      StringBuilder path = new StringBuilder(pointer);
      for (int axis = 0; axis < depth; axis++) {
        path.append('/').append(index[axis]);
      }
      return path.toString();
    }

    private static String describe(JsonToken token) {
      return switch (token) {
        case VALUE_STRING -> "a string";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "null";
        case START_OBJECT -> "an object";
        default -> String.valueOf(token);
      };
    }
  }
}
