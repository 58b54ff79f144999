package dev.modelcontract.tensors;

import ch.randelshofer.fastdoubleparser.JsonDoubleParser;
import dev.modelcontract.contract.DType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.StreamReadConstraints;

/**
 * The fast path of {@link JsonTensorReader} for the request nearly every caller sends: an object of float32 or
 * float64 inputs as nested arrays of plain JSON numbers, named or under {@code inputs}. It reads the bytes once,
 * without a token stream, and parses each number from the bytes with FastDoubleParser, the parser Jackson uses
 * (correctly rounded, so every value is the same to the bit). Anything else, valid or not (strings, escapes, NaN, a ragged or empty array, a name it does not
 * know, a duplicate, a value out of range, bytes that are not ASCII), makes it give up: the caller then reads the
 * body with Jackson, which accepts it the same way or names what is wrong.
 */
final class NumericJsonScanner {

  /** Jackson's limits, which it enforces where this path would not: past them, Jackson refuses the body. */
  private static final int MAX_NUMBER_LENGTH = StreamReadConstraints.defaults().getMaxNumberLength();
  private static final int MAX_NAME_LENGTH = StreamReadConstraints.defaults().getMaxNameLength();

  private final byte[] in;
  private final int end;
  private final Map<String, ElementType> types;
  private int pos;

  private NumericJsonScanner(byte[] in, int offset, int length, Map<String, ElementType> types) {
    this.in = in;
    this.pos = offset;
    this.end = offset + length;
    this.types = types;
  }

  /** The request, or null where the body is not of the one kind this path reads. */
  static JsonTensorReader.Request scan(byte[] body, int offset, int length, Map<String, ElementType> types) {
    return new NumericJsonScanner(body, offset, length, types).request();
  }

  private JsonTensorReader.Request request() {
    if (!next('{')) {
      return null;
    }
    JsonForm form = JsonForm.NAMED;
    int afterBrace = pos;
    String first = name();
    if ("inputs".equals(first) && !types.containsKey(first)) {
      if (!next('{')) {
        return null;
      }
      form = JsonForm.INPUTS;
    } else {
      pos = afterBrace;
    }
    Map<String, Tensor> tensors = named();
    if (tensors == null || (form == JsonForm.INPUTS && !next('}'))) {
      return null;
    }
    skipWhitespace();
    return pos == end ? new JsonTensorReader.Request(form, tensors) : null;
  }

  /** {@code "name": [...], ...}} after the opening brace, through the closing one. */
  private Map<String, Tensor> named() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    do {
      String name = name();
      ElementType type = name == null ? null : types.get(name);
      if (type == null || type.dtype().kind() != DType.Kind.FLOAT || (type.dtype() != DType.FLOAT32
          && type.dtype() != DType.FLOAT64) || tensors.containsKey(name)) {
        return null;
      }
      skipWhitespace();
      if (pos == end || in[pos] != '[') {
        return null;
      }
      Tensor tensor = new Values(type.dtype()).tensor();
      if (tensor == null) {
        return null;
      }
      tensors.put(name, tensor);
    } while (next(','));
    return next('}') && !tensors.isEmpty() ? tensors : null;
  }

  /** A quoted ASCII name without escapes, and the colon after it; null otherwise. */
  private String name() {
    if (!next('"')) {
      return null;
    }
    int start = pos;
    while (pos < end && in[pos] != '"') {
      byte b = in[pos];
      if (b == '\\' || b < 0x20) { // escapes and control bytes; negative bytes are not ASCII
        return null;
      }
      pos++;
    }
    if (pos == end || pos - start > MAX_NAME_LENGTH) {
      return null;
    }
    String name = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
    pos++;
    return next(':') ? name : null;
  }

  private boolean next(char expected) {
    skipWhitespace();
    if (pos < end && in[pos] == expected) {
      pos++;
      return true;
    }
    return false;
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte b = in[pos];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return;
      }
      pos++;
    }
  }

  /** The values of one tensor, with the shape learned from the first path to a number and checked after. */
  private final class Values {
    private final boolean float32;
    private final long[] shape = new long[JsonTensorReader.MAX_RANK];
    private final boolean[] known = new boolean[JsonTensorReader.MAX_RANK];
    private int rank = -1;
    private int size;
    private float[] floats;
    private double[] doubles;
    /** The number being read: its first significant digits as an integer, and how many significant digits it has. */
    private long significand;
    private int significantDigits;

    Values(DType dtype) {
      this.float32 = dtype == DType.FLOAT32;
      if (float32) {
        floats = new float[256];
      } else {
        doubles = new double[256];
      }
    }

    Tensor tensor() {
      if (!array(0)) {
        return null;
      }
      long[] dims = Arrays.copyOf(shape, rank);
      return float32 ? new FloatTensor(dims, Arrays.copyOf(floats, size))
          : new DoubleTensor(dims, Arrays.copyOf(doubles, size));
    }

    /** The array at {@code pos} (its '['), holding arrays or numbers at {@code depth + 1}. */
    private boolean array(int depth) {
      if (depth == JsonTensorReader.MAX_RANK || (rank >= 0 && depth >= rank)) {
        return false;
      }
      pos++;
      skipWhitespace();
      int count = 0;
      do {
        skipWhitespace();
        if (pos == end) {
          return false;
        }
        if (in[pos] == '[') {
          if (!array(depth + 1)) {
            return false;
          }
        } else {
          if (rank < 0) {
            rank = depth + 1;
          } else if (rank != depth + 1) {
            return false;
          }
          if (!number()) {
            return false;
          }
        }
        count++;
      } while (next(','));
      if (!next(']')) {
        return false;
      }
      if (!known[depth]) {
        known[depth] = true;
        shape[depth] = count;
        return true;
      }
      return shape[depth] == count;
    }

    /** A JSON number (RFC 8259 grammar), stored as the input's dtype; false where it is not one or out of range. */
    private boolean number() {
      int start = pos;
      boolean negative = false;
      if (pos < end && in[pos] == '-') {
        negative = true;
        pos++;
      }
      if (pos == end) {
        return false;
      }
      significand = 0;
      significantDigits = 0;
      if (in[pos] == '0') {
        pos++;
      } else if (!digits()) {
        return false;
      }
      boolean integer = true;
      int exponent = 0;
      if (pos < end && in[pos] == '.') {
        integer = false;
        pos++;
        int fraction = pos;
        if (!digits()) {
          return false;
        }
        exponent = fraction - pos;
      }
      if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
        integer = false;
        pos++;
        boolean negativeExponent = false;
        if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
          negativeExponent = in[pos] == '-';
          pos++;
        }
        int exponentStart = pos;
        int written = 0;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
          written = Math.min(written * 10 + (in[pos] - '0'), 100_000);
          pos++;
        }
        if (pos == exponentStart) {
          return false;
        }
        exponent += negativeExponent ? -written : written;
      }
      int length = pos - start;
      if (length > MAX_NUMBER_LENGTH) {
        return false;
      }
      if (float32) {
        float fast = FloatFastPath.parse(negative, significand, significantDigits, exponent);
        if (!Float.isNaN(fast)) {
          if (size == floats.length) {
            floats = Arrays.copyOf(floats, size * 2);
          }
          floats[size++] = integer && fast == 0 ? 0f : fast;
          return true;
        }
      }
      double value = JsonDoubleParser.parseDouble(in, start, length);
      if (integer) {
        value += 0.0; // Jackson reads -0 as the integer 0, so as +0.0 (as Python's json module does)
      }
      if (float32) {
        if (!(Math.abs(value) <= JsonTensorReader.LARGEST_FLOAT32)) {
          return false;
        }
        if (size == floats.length) {
          floats = Arrays.copyOf(floats, size * 2);
        }
        floats[size++] = (float) value;
      } else {
        if (Double.isInfinite(value)) {
          return false;
        }
        if (size == doubles.length) {
          doubles = Arrays.copyOf(doubles, size * 2);
        }
        doubles[size++] = value;
      }
      return true;
    }

    /**
     * One or more digits, accumulated into {@link #significand} (leading zeros skipped; past
     * {@link FloatFastPath#MAX_DIGITS} significant digits only counted); false where there is none.
     */
    private boolean digits() {
      int start = pos;
      long accumulated = significand;
      int counted = significantDigits;
      while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
        int digit = in[pos] - '0';
        if (counted < FloatFastPath.MAX_DIGITS) {
          accumulated = accumulated * 10 + digit;
          if (accumulated != 0) {
            counted++;
          }
        } else {
          counted++;
        }
        pos++;
      }
      significand = accumulated;
      significantDigits = counted;
      return pos > start;
    }
  }
}
