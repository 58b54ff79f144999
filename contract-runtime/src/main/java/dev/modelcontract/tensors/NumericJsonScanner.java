package dev.modelcontract.tensors;

import ch.randelshofer.fastdoubleparser.JsonDoubleParser;
import dev.modelcontract.contract.DType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.StreamReadConstraints;

/**
 * The fast path of {@link JsonTensorReader} for the request nearly every caller sends: an object of float32 or
 * float64 inputs as nested arrays of plain JSON numbers, named or under {@code inputs}. It reads the bytes once,
 * without a token stream, digits eight at a time; a float32 comes from the digits as they are read
 * ({@link FloatFastPath}), any other number from its text with FastDoubleParser, the parser Jackson uses (correctly
 * rounded either way, so every value is the same to the bit). Anything else, valid or not (strings, escapes, NaN, a
 * ragged or empty array, a name it does not know, a duplicate, a value out of range, bytes that are not ASCII),
 * makes it give up: the caller then reads the body with Jackson, which accepts it the same way or names what is
 * wrong.
 */
final class NumericJsonScanner {

  /** Jackson's limits, which it enforces where this path would not: past them, Jackson refuses the body. */
  private static final int MAX_NUMBER_LENGTH = StreamReadConstraints.defaults().getMaxNumberLength();
  private static final int MAX_NAME_LENGTH = StreamReadConstraints.defaults().getMaxNameLength();
  private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
      100_000_000};
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /**
   * The most values a thread keeps in its read buffers between bodies. A tensor's numbers are read into the
   * thread's buffer, then copied once into an array of their exact count: no buffer per tensor.
   */
  private static final int KEPT_VALUES = 1 << 16;
  private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[1024]);
  private static final ThreadLocal<double[]> DOUBLES = ThreadLocal.withInitial(() -> new double[1024]);

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
  static RequestBody scan(byte[] body, int offset, int length, Map<String, ElementType> types) {
    return new NumericJsonScanner(body, offset, length, types).request();
  }

  private RequestBody request() {
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
    return pos == end ? new RequestBody(tensors, form == JsonForm.INPUTS ? InputsEnvelope.INSTANCE : Envelope.NAMED)
        : null;
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
      Values values = new Values(in, end, type.dtype());
      int after = values.array(pos, 0);
      if (after < 0) {
        return null;
      }
      pos = after;
      tensors.put(name, values.tensor());
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
    pos = skipWhitespace(in, pos, end);
  }

  /** The position of the first byte from {@code at} that is not JSON whitespace ({@code end} where none is). */
  private static int skipWhitespace(byte[] bytes, int at, int end) {
    while (at < end) {
      byte b = bytes[at];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        break;
      }
      at++;
    }
    return at;
  }

  /**
   * The value of eight ASCII digits, less '0' each, in a little-endian word (its first digit in the lowest byte;
   * zero bytes there read as leading zeros).
   */
  private static long eightDigits(long word) {
    word = (word * 10 + (word >>> 8)) & 0x00FF00FF00FF00FFL;
    word = (word * 100 + (word >>> 16)) & 0x0000FFFF0000FFFFL;
    return (word * 10_000 + (word >>> 32)) & 0xFFFFFFFFL;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  /**
   * The values of one tensor, with the shape learned from the first path to a number and checked after. Positions
   * in the body are passed and returned (-1 where the body is not of this path's kind), so that the loop over an
   * array keeps its position in a register.
   */
  private static final class Values {
    private final byte[] in;
    private final int end;
    private final boolean float32;
    private final long[] shape = new long[Tensor.MAX_RANK];
    private final boolean[] known = new boolean[Tensor.MAX_RANK];
    private int rank = -1;
    private int size;
    private float[] floats;
    private double[] doubles;
    /** The number being read: its first significant digits as an integer, and how many significant digits it has. */
    private long significand;
    private int significantDigits;
    /** The exponent of the number being read, as written (clamped to ±100,000). */
    private int writtenExponent;

    Values(byte[] in, int end, DType dtype) {
      this.in = in;
      this.end = end;
      this.float32 = dtype == DType.FLOAT32;
      if (float32) {
        floats = FLOATS.get();
      } else {
        doubles = DOUBLES.get();
      }
    }

    /** The tensor, after {@link #array} read it; a buffer it grew is kept for the thread's next body, up to a size. */
    Tensor tensor() {
      long[] dims = Arrays.copyOf(shape, rank);
      if (float32) {
        if (floats.length <= KEPT_VALUES) {
          FLOATS.set(floats);
        }
        return new FloatTensor(dims, Arrays.copyOf(floats, size));
      }
      if (doubles.length <= KEPT_VALUES) {
        DOUBLES.set(doubles);
      }
      return new DoubleTensor(dims, Arrays.copyOf(doubles, size));
    }

    /**
     * The array at {@code at} (its '['), holding arrays or numbers at {@code depth + 1}.
     *
     * @return the position after its ']', or -1
     */
    int array(int at, int depth) {
      if (depth == Tensor.MAX_RANK || (rank >= 0 && depth >= rank)) {
        return -1;
      }
      byte[] bytes = in;
      int limit = end;
      at++;
      int count = 0;
      while (true) {
        at = skipWhitespace(bytes, at, limit);
        if (at == limit) {
          return -1;
        }
        if (bytes[at] == '[') {
          at = array(at, depth + 1);
        } else if (rank < 0 || rank == depth + 1) {
          rank = depth + 1;
          at = number(at);
        } else {
          return -1;
        }
        if (at < 0) {
          return -1;
        }
        count++;
        at = skipWhitespace(bytes, at, limit);
        if (at == limit || bytes[at] != ',') {
          break;
        }
        at++;
      }
      if (at == limit || bytes[at] != ']') {
        return -1;
      }
      if (!known[depth]) {
        known[depth] = true;
        shape[depth] = count;
      } else if (shape[depth] != count) {
        return -1;
      }
      return at + 1;
    }

    /**
     * A JSON number (RFC 8259 grammar) from {@code start}, stored as the input's dtype. Kept small, its rare parts
     * in methods of their own, so that the compiler inlines it into the loop over an array.
     *
     * @return the position after it, or -1 where it is not one or is out of range
     */
    private int number(int start) {
      byte[] bytes = in;
      int limit = end;
      int at = start;
      boolean negative = at < limit && bytes[at] == '-';
      if (negative) {
        at++;
      }
      if (at == limit) {
        return -1;
      }
      significand = 0;
      significantDigits = 0;
      int after = bytes[at] == '0' ? at + 1 : digits(at);
      if (after == at) {
        return -1;
      }
      at = after;
      boolean integer = true;
      int exponent = 0;
      if (at < limit && bytes[at] == '.') {
        integer = false;
        after = digits(at + 1);
        if (after == at + 1) {
          return -1;
        }
        exponent = at + 1 - after;
        at = after;
      }
      if (at < limit && (bytes[at] | 0x20) == 'e') { // 'e' or 'E'
        integer = false;
        at = exponent(at + 1);
        if (at < 0) {
          return -1;
        }
        exponent += writtenExponent;
      }
      if (at - start > MAX_NUMBER_LENGTH) {
        return -1;
      }
      if (float32) {
        float fast = FloatFastPath.parse(negative, significand, significantDigits, exponent);
        if (!Float.isNaN(fast)) {
          add(integer && fast == 0 ? 0f : fast);
          return at;
        }
      }
      return parsed(start, at - start, integer) ? at : -1;
    }

    private void add(float value) {
      if (size == floats.length) {
        floats = Arrays.copyOf(floats, size * 2);
      }
      floats[size++] = value;
    }

    /** The exponent's sign and digits from {@code at}, into {@link #writtenExponent}; -1 where there are none. */
    private int exponent(int at) {
      byte[] bytes = in;
      int limit = end;
      boolean negative = false;
      if (at < limit && (bytes[at] == '+' || bytes[at] == '-')) {
        negative = bytes[at] == '-';
        at++;
      }
      int first = at;
      int written = 0;
      while (at < limit && isDigit(bytes[at])) {
        written = Math.min(written * 10 + (bytes[at] - '0'), 100_000);
        at++;
      }
      writtenExponent = negative ? -written : written;
      return at == first ? -1 : at;
    }

    /** The number's text read by the full parser, where the fast path cannot vouch for the float, or for a double. */
    private boolean parsed(int start, int length, boolean integer) {
      double value = JsonDoubleParser.parseDouble(in, start, length);
      if (integer) {
        value += 0.0; // Jackson reads -0 as the integer 0, so as +0.0 (as Python's json module does)
      }
      if (float32) {
        if (!(Math.abs(value) <= ElementType.LARGEST_FLOAT32)) {
          return false;
        }
        add((float) value);
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
     * The digits from {@code at}, accumulated into {@link #significand} (leading zeros skipped; past
     * {@link FloatFastPath#MAX_DIGITS} significant digits only counted) eight bytes at a time: whole words of
     * digits, then the digits that start the word where the run ends. Near the end of the body, or past the digits
     * a long holds, one at a time.
     *
     * @return the position after the last digit: {@code at} where there is none
     */
    private int digits(int at) {
      byte[] bytes = in;
      int limit = end;
      long accumulated = significand;
      int counted = significantDigits;
      if (accumulated == 0) {
        while (at < limit && bytes[at] == '0') {
          at++;
        }
      }
      while (at + Long.BYTES <= limit) {
        long word = (long) LONGS.get(bytes, at) - 0x3030303030303030L;
        long notDigits = (word | (word + 0x7676767676767676L)) & 0x8080808080808080L;
        int count = notDigits == 0 ? Long.BYTES : Long.numberOfTrailingZeros(notDigits) >>> 3;
        if (counted + count > FloatFastPath.MAX_DIGITS) {
          break;
        }
        if (count > 0) {
          // The word shifted up leaves zeros, leading zeros, where the bytes after the run were.
          accumulated = accumulated * POWERS_OF_TEN[count] + eightDigits(word << (Long.SIZE - Byte.SIZE * count));
          counted += count;
          at += count;
        }
        if (count < Long.BYTES) {
          significand = accumulated;
          significantDigits = counted;
          return at;
        }
      }
      significand = accumulated;
      significantDigits = counted;
      return digitsOneByOne(at);
    }

    private int digitsOneByOne(int at) {
      byte[] bytes = in;
      int limit = end;
      long accumulated = significand;
      int counted = significantDigits;
      for (; at < limit && isDigit(bytes[at]); at++) {
        if (counted < FloatFastPath.MAX_DIGITS) {
          accumulated = accumulated * 10 + (bytes[at] - '0');
          if (accumulated != 0) {
            counted++;
          }
        } else {
          counted++;
        }
      }
      significand = accumulated;
      significantDigits = counted;
      return at;
    }
  }
}
