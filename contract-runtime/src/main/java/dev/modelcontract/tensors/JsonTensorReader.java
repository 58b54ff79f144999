package dev.modelcontract.tensors;

import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.JsonPointer;
import dev.modelcontract.contract.ModelContract;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;

/**
 * Decodes a JSON object of named tensors, {@code {"input_1": [[...]], "input_2": [[...]]}}, by streaming each
 * nested array straight into a primitive array: no tree of boxed numbers is ever built.
 *
 * <p>Every array must be rectangular. Named tensors with an {@link ElementType} are read by its rules: float
 * types take any JSON number (integers too) within the dtype's range, NaN and ±Infinity only where allowed;
 * integer types take integers within range (a fraction such as 1.5 is refused, never rounded); bool takes
 * {@code true}/{@code false}. Tensors without a type are inferred from their first value: numbers as float64,
 * strings, booleans. Errors carry the JSON Pointer of the offending value.
 */
public final class JsonTensorReader {

  /** Deeper nesting than this is refused before it can exhaust the stack. */
  public static final int MAX_RANK = 16;

  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private final Map<String, ElementType> types;

  /** A reader that infers every tensor's type. */
  public JsonTensorReader() {
    this(Map.of());
  }

  public JsonTensorReader(Map<String, ElementType> types) {
    this.types = Map.copyOf(types);
  }

  /** A reader of requests: each input by its declared dtype; names the contract lacks are inferred. */
  public static JsonTensorReader forInputs(ModelContract contract) {
    Map<String, ElementType> types = new HashMap<>();
    for (InputSpec input : contract.inputs()) {
      types.put(input.name(), new ElementType(input.dtype(), input.allowNonFinite()));
    }
    return new JsonTensorReader(types);
  }

  /**
   * Reads the whole object; the stream is read to its end but not closed.
   *
   * @throws ValueTypeException when values are not of a tensor's declared type
   * @throws TensorFormatException when the body is not a JSON object of rectangular arrays
   * @throws IOException when the stream itself fails
   */
  public Map<String, Tensor> read(InputStream body) throws TensorFormatException, IOException {
    try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new TensorFormatException("", "the body must be a JSON object of named tensors, e.g. "
            + "{\"input_1\": [[0.5, 1.0]]}");
      }
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        Tensor tensor = new ArrayDecoder(parser, name, types.get(name)).decode();
        if (tensors.put(name, tensor) != null) {
          throw new TensorFormatException("/" + JsonPointer.escape(name), "'" + name + "' appears twice in the body");
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

  /** Decodes one value, a scalar or nested arrays, learning the shape from the first path to a scalar. */
  private static final class ArrayDecoder {
    private final JsonParser parser;
    private final String name;
    private final ElementType type;
    private final long[] shape = new long[MAX_RANK];
    private final boolean[] known = new boolean[MAX_RANK];
    private final int[] index = new int[MAX_RANK];
    private int rank = -1;
    private Sink sink;

    ArrayDecoder(JsonParser parser, String name, ElementType type) {
      this.parser = parser;
      this.name = name;
      this.type = type;
      this.sink = type == null ? null : Sink.of(type);
    }

    Tensor decode() throws TensorFormatException {
      value(0);
      return sink.tensor(Arrays.copyOf(shape, Math.max(rank, 0)));
    }

    private void value(int depth) throws TensorFormatException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.START_ARRAY) {
        array(depth);
      } else if (token.isScalarValue()) {
        scalar(depth, token);
      } else {
        throw new TensorFormatException(at(depth), "expected a value or an array, found an object");
      }
    }

    private void array(int depth) throws TensorFormatException {
      if (rank >= 0 && depth >= rank) {
        throw new TensorFormatException(at(depth), "expected a value at depth " + rank + ", found an array");
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

    private void scalar(int depth, JsonToken token) throws TensorFormatException {
      if (rank < 0) {
        rank = depth;
        if (sink == null) {
          sink = Sink.inferred(token);
        }
      } else if (depth != rank) {
        throw new TensorFormatException(at(depth), "expected an array at depth " + depth + ", found a value");
      }
      String problem = sink.add(parser, token);
      if (problem != null) {
        if (type == null) {
          throw new TensorFormatException(at(depth), "'" + name + "' mixes value types: " + problem);
        }
        throw new ValueTypeException(name, at(depth), describe(type), problem);
      }
    }

    private String at(int depth) {
      StringBuilder path = new StringBuilder("/").append(JsonPointer.escape(name));
      for (int axis = 0; axis < depth; axis++) {
        path.append('/').append(index[axis]);
      }
      return path.toString();
    }

    private static String describe(ElementType type) {
      DType dtype = type.dtype();
      return switch (dtype.kind()) {
        case FLOAT -> (type.allowNonFinite() ? "a " : "a finite ") + dtype + " number";
        case INTEGER -> (dtype == DType.UINT8 ? "a " : "an ") + dtype + " integer from " + dtype.minLong() + " to "
            + dtype.maxLong();
        case BOOL -> "true or false";
      };
    }
  }

  /** Collects the values of one tensor into the array its type is stored in. */
  private abstract static class Sink {
    int size;

    static Sink of(ElementType type) {
      DType dtype = type.dtype();
      return switch (dtype) {
        case FLOAT64 -> new DoubleSink(type.allowNonFinite());
        case FLOAT32, FLOAT16, BFLOAT16 -> new FloatSink(dtype, type.allowNonFinite());
        case INT64, INT32, INT8, UINT8 -> new LongSink(dtype);
        case BOOL -> new BooleanSink();
      };
    }

    static Sink inferred(JsonToken first) {
      if (first == JsonToken.VALUE_STRING) {
        return new StringSink();
      }
      if (first == JsonToken.VALUE_TRUE || first == JsonToken.VALUE_FALSE) {
        return new BooleanSink();
      }
      return new DoubleSink(true);
    }

    /** Adds the current value; returns what is wrong with it, or null. */
    abstract String add(JsonParser parser, JsonToken token);

    abstract Tensor tensor(long[] shape);

    static int grown(int length) {
      return Math.max(256, length * 2);
    }

    static String describe(JsonParser parser, JsonToken token) {
      return switch (token) {
        case VALUE_STRING -> "the string \"" + abbreviate(parser.getString()) + "\"";
        case VALUE_TRUE, VALUE_FALSE -> "the boolean " + parser.getString();
        case VALUE_NULL -> "null";
        default -> "the value " + abbreviate(parser.getString());
      };
    }

    private static String abbreviate(String text) {
      return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    static boolean isNumber(JsonToken token) {
      return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
    }
  }

  private static final class FloatSink extends Sink {
    private final DType dtype;
    private final boolean allowNonFinite;
    /**
     * The largest magnitude taken. For float32, whatever rounds to a finite float: 3.4028235e38, Java's and numpy's
     * spelling of its largest value, is a little above it. The half-precision types, held as float, take their
     * exact range.
     */
    private final double largest;
    private float[] values = new float[256];

    FloatSink(DType dtype, boolean allowNonFinite) {
      this.dtype = dtype;
      this.allowNonFinite = allowNonFinite;
      this.largest = dtype == DType.FLOAT32
          ? Math.nextDown(Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0) // half-way rounds to even: infinity
          : dtype.max();
    }

    @Override
    String add(JsonParser parser, JsonToken token) {
      if (!isNumber(token)) {
        return describe(parser, token);
      }
      double value = parser.getDoubleValue();
      if (parser.isNaN()) { // the tokens NaN, Infinity, -Infinity; 1e400 is a number out of range instead
        if (!allowNonFinite) {
          return parser.getString() + " (the input does not allow non-finite values)";
        }
      } else if (!(Math.abs(value) <= largest)) {
        return parser.getString() + ", outside the " + dtype + " range";
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, grown(size));
      }
      values[size++] = (float) value;
      return null;
    }

    @Override
    Tensor tensor(long[] shape) {
      return new FloatTensor(shape, Arrays.copyOf(values, size));
    }
  }

  private static final class DoubleSink extends Sink {
    private final boolean allowNonFinite;
    private double[] values = new double[256];

    DoubleSink(boolean allowNonFinite) {
      this.allowNonFinite = allowNonFinite;
    }

    @Override
    String add(JsonParser parser, JsonToken token) {
      if (!isNumber(token)) {
        return describe(parser, token);
      }
      double value = parser.getDoubleValue();
      if (parser.isNaN()) {
        if (!allowNonFinite) {
          return parser.getString() + " (the input does not allow non-finite values)";
        }
      } else if (Double.isInfinite(value)) {
        return parser.getString() + ", outside the float64 range";
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, grown(size));
      }
      values[size++] = value;
      return null;
    }

    @Override
    Tensor tensor(long[] shape) {
      return new DoubleTensor(shape, Arrays.copyOf(values, size));
    }
  }

  private static final class LongSink extends Sink {
    private final DType dtype;
    private long[] values = new long[256];

    LongSink(DType dtype) {
      this.dtype = dtype;
    }

    @Override
    String add(JsonParser parser, JsonToken token) {
      if (!isNumber(token)) {
        return describe(parser, token);
      }
      long value;
      if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        value = parser.getLongValue();
      } else {
        // 3.0 is the integer 3; 1.5 and NaN are not integers; 1e30 is one out of range. Exact, never rounded.
        if (parser.isNaN()) {
          return parser.getString() + ", not an integer";
        }
        BigDecimal decimal = new BigDecimal(parser.getString());
        if (decimal.stripTrailingZeros().scale() > 0) {
          return parser.getString() + ", not an integer";
        }
        try {
          value = decimal.longValueExact();
        } catch (ArithmeticException e) {
          return parser.getString() + ", outside the " + dtype + " range";
        }
      }
      if (value < dtype.minLong() || value > dtype.maxLong()) {
        return parser.getString() + ", outside the " + dtype + " range";
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, grown(size));
      }
      values[size++] = value;
      return null;
    }

    @Override
    Tensor tensor(long[] shape) {
      return new LongTensor(shape, Arrays.copyOf(values, size));
    }
  }

  private static final class BooleanSink extends Sink {
    private boolean[] values = new boolean[256];

    @Override
    String add(JsonParser parser, JsonToken token) {
      if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
        return describe(parser, token);
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, grown(size));
      }
      values[size++] = token == JsonToken.VALUE_TRUE;
      return null;
    }

    @Override
    Tensor tensor(long[] shape) {
      return new BooleanTensor(shape, Arrays.copyOf(values, size));
    }
  }

  private static final class StringSink extends Sink {
    private String[] values = new String[16];

    @Override
    String add(JsonParser parser, JsonToken token) {
      if (token != JsonToken.VALUE_STRING) {
        return describe(parser, token);
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, grown(size));
      }
      values[size++] = parser.getString();
      return null;
    }

    @Override
    Tensor tensor(long[] shape) {
      return new StringTensor(shape, Arrays.copyOf(values, size));
    }
  }
}
