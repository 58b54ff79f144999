package dev.modelcontract.tensors;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.DType;
import java.math.BigDecimal;
import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Streams one JSON value (a scalar or rectangular nested arrays) straight into the primitive array of its element
 * type: no tree of boxed numbers is ever built. A tensor with an {@link ElementType} is read by its rules: float
 * types take any JSON number (integers too) within the dtype's range, NaN and ±Infinity only where allowed;
 * integer types take integers within range (a fraction such as 1.5 is refused, never rounded); bool takes
 * {@code true}/{@code false}; an empty array is a tensor with no element. A tensor without a type is inferred from
 * its first value: numbers as float64, strings, booleans (so it cannot be empty). Errors carry the JSON Pointer of
 * the offending value.
 */
final class JsonValueDecoder {

  private JsonValueDecoder() {}

  /**
   * Decodes the value the parser is at.
   *
   * @param type the declared element type; null to infer it
   */
  static Tensor decode(JsonParser parser, String name, String pointer, ElementType type)
      throws TensorFormatException, ContractViolation {
    return new ArrayDecoder(parser, name, pointer, type).decode();
  }

  /** Decodes one value, a scalar or nested arrays, learning the shape from the first path to a scalar. */
  private static final class ArrayDecoder {
    private final JsonParser parser;
    private final String name;
    private final String pointer;
    private final ElementType type;
    private final long[] shape = new long[Tensor.MAX_RANK];
    private final boolean[] known = new boolean[Tensor.MAX_RANK];
    private final int[] index = new int[Tensor.MAX_RANK];
    private int rank = -1;
    private Sink sink;

    ArrayDecoder(JsonParser parser, String name, String pointer, ElementType type) {
      this.parser = parser;
      this.name = name;
      this.pointer = pointer;
      this.type = type;
      this.sink = type == null ? null : Sink.of(type);
    }

    Tensor decode() throws TensorFormatException, ContractViolation {
      value(0);
      return sink.tensor(Arrays.copyOf(shape, Math.max(rank, 0)));
    }

    private void value(int depth) throws TensorFormatException, ContractViolation {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.START_ARRAY) {
        array(depth);
      } else if (token.isScalarValue()) {
        scalar(depth, token);
      } else {
        throw new TensorFormatException(at(depth), "expected a value or an array, found an object");
      }
    }

    private void array(int depth) throws TensorFormatException, ContractViolation {
      if (rank >= 0 && depth >= rank) {
        throw new TensorFormatException(at(depth), "expected a value at depth " + rank + ", found an array");
      }
      if (depth == Tensor.MAX_RANK) {
        throw new TensorFormatException(at(depth), "arrays are nested deeper than " + Tensor.MAX_RANK + " levels");
      }
      int count = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        index[depth] = count++;
        value(depth + 1);
      }
      if (rank < 0) {
        if (type == null) {
          throw new TensorFormatException(at(depth), "an empty array holds no tensor");
        }
        // a declared type's tensor with no element: its axes are those written, down to this empty one (the axes
        // inside it cannot be written; the contract's binder reads them from the declared shape)
        rank = depth + 1;
      }
      if (!known[depth]) {
        shape[depth] = count;
        known[depth] = true;
      } else if (shape[depth] != count) {
        throw new TensorFormatException(at(depth), "ragged array: expected " + shape[depth]
            + " elements on axis " + depth + ", as in the first row, but found " + count);
      }
    }

    private void scalar(int depth, JsonToken token) throws TensorFormatException, ContractViolation {
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
        throw ContractViolation.ofValue(name, at(depth), describe(type), problem);
      }
    }

    private String at(int depth) {
      StringBuilder path = new StringBuilder(pointer);
      for (int axis = 0; axis < depth; axis++) {
        path.append('/').append(index[axis]);
      }
      return path.toString();
    }

    /** What the input takes, its range quoted where the contract gives one (else an integer dtype's limits). */
    private static String describe(ElementType type) {
      DType dtype = type.dtype();
      String range = type.range().map(values -> " " + values.describe() + " (the contract's range)").orElse("");
      return switch (dtype.kind()) {
        case FLOAT -> (type.allowNonFinite() ? "a " : "a finite ") + dtype + " number" + range;
        case INTEGER -> (dtype == DType.UINT8 ? "a " : "an ") + dtype + " integer" + (range.isEmpty() ? " from "
            + dtype.minLong() + " to " + dtype.maxLong() : range);
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
    /** The largest magnitude taken ({@link ElementType#largestMagnitude}). */
    private final double largest;
    private float[] values = new float[256];

    FloatSink(DType dtype, boolean allowNonFinite) {
      this.dtype = dtype;
      this.allowNonFinite = allowNonFinite;
      this.largest = ElementType.largestMagnitude(dtype);
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
