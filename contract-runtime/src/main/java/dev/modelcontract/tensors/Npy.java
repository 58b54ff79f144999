package dev.modelcontract.tensors;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * numpy's {@code .npy} format (format versions 1.0 to 3.0), as {@code np.save} writes it: a header naming the dtype,
 * the memory order and the shape, then the values. Arrays are read only in the dtype the contract declares (byte
 * order and C or Fortran order as the file says); any other dtype numpy has is named and refused, never cast.
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern STRUCTURED = Pattern.compile("'descr'\\s*:\\s*\\[");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final Pattern TYPESTR = Pattern.compile("([<>|=])?([a-zA-Z])(\\d{0,6})(\\[\\w+\\])?");

  private Npy() {}

  /**
   * Reads one array.
   *
   * @param name the input it is for, named in problems
   * @param pointer where it sits in the request, e.g. {@code /input_1} or {@code /input_1.npy}
   * @param type the declared element type, or null to read it in its own dtype (an input the contract lacks)
   * @throws ContractViolation when its dtype is not the declared one, or a value breaks the input's rules
   * @throws TensorFormatException when the bytes are not an .npy file
   */
  public static Tensor read(byte[] bytes, int offset, int length, String name, String pointer, ElementType type)
      throws TensorFormatException, ContractViolation {
    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    Header header = Header.read(buffer, pointer);
    DType dtype = header.dtype();
    DType expected = type == null ? dtype : type.dtype();
    if (dtype == null || dtype != expected) {
      if (type == null) {
        throw new TensorFormatException(pointer, "'" + name + "' is an array of " + header.dtypeName()
            + ", a dtype this server does not read");
      }
      throw ContractViolation.ofValue(name, pointer, "an array of " + expected + " (as the contract declares; nothing"
          + " is cast)", "an array of " + header.dtypeName());
    }
    long count = Tensor.sizeOf(header.shape());
    if (count * header.itemSize() != buffer.remaining()) {
      throw new TensorFormatException(pointer, "'" + name + "': the header promises " + count + " values of "
          + header.itemSize() + " bytes, but " + buffer.remaining() + " bytes follow it");
    }
    buffer.order(header.order());
    Object values = switch (dtype) {
      case FLOAT32 -> floats(buffer, (int) count);
      case FLOAT64 -> doubles(buffer, (int) count);
      case FLOAT16 -> halves(buffer, (int) count);
      case INT64, INT32, INT8, UINT8 -> longs(buffer, (int) count, dtype);
      case BOOL -> booleans(buffer, (int) count);
      case BFLOAT16 -> throw new IllegalStateException("numpy has no bfloat16");
    };
    if (header.fortranOrder()) {
      values = cOrder(values, header.shape());
    }
    if (type != null && dtype.isFloat() && !type.allowNonFinite()) {
      checkFinite(values, header.shape(), name, pointer);
    }
    return Tensor.of(header.shape(), values);
  }

  /** Writes one array as {@code np.save} does (format 1.0, little-endian, C order; strings as numpy's {@code <U}). */
  public static void write(Tensor tensor, OutputStream out) {
    try {
      String descr;
      byte[] data;
      if (tensor instanceof FloatTensor floats) {
        descr = "<f4";
        ByteBuffer buffer = little(floats.size() * 4L);
        buffer.asFloatBuffer().put(floats.values());
        data = buffer.array();
      } else if (tensor instanceof DoubleTensor doubles) {
        descr = "<f8";
        ByteBuffer buffer = little(doubles.size() * 8L);
        buffer.asDoubleBuffer().put(doubles.values());
        data = buffer.array();
      } else if (tensor instanceof LongTensor longs) {
        descr = "<i8";
        ByteBuffer buffer = little(longs.size() * 8L);
        buffer.asLongBuffer().put(longs.values());
        data = buffer.array();
      } else if (tensor instanceof BooleanTensor booleans) {
        descr = "|b1";
        data = new byte[booleans.size()];
        for (int i = 0; i < data.length; i++) {
          data[i] = (byte) (booleans.values()[i] ? 1 : 0);
        }
      } else {
        String[] strings = ((StringTensor) tensor).values();
        int width = Math.max(1, Arrays.stream(strings).mapToInt(s -> s.codePointCount(0, s.length())).max().orElse(1));
        descr = "<U" + width;
        ByteBuffer buffer = little((long) strings.length * width * 4);
        for (int i = 0; i < strings.length; i++) {
          buffer.position(i * width * 4);
          strings[i].codePoints().forEach(buffer::putInt);
        }
        data = buffer.array();
      }
      out.write(header(descr, tensor.shape()));
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One array as the bytes of an .npy file. */
  public static byte[] toBytes(Tensor tensor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128 + tensor.size() * 8);
    write(tensor, out);
    return out.toByteArray();
  }

  private static byte[] header(String descr, long[] shape) {
    StringBuilder tuple = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      tuple.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    tuple.append(shape.length == 1 ? ",)" : ")");
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    String text = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 4 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
    header.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
    header.put(text.getBytes(StandardCharsets.ISO_8859_1));
    return header.array();
  }

  private static ByteBuffer little(long bytes) {
    return ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The parsed header of an .npy file; the buffer is left at the first value. */
  private record Header(String descr, DType dtype, String dtypeName, int itemSize, ByteOrder order,
      boolean fortranOrder, long[] shape) {

    static Header read(ByteBuffer buffer, String pointer) throws TensorFormatException {
      if (buffer.remaining() < 10 || !startsWithMagic(buffer)) {
        throw new TensorFormatException(pointer, "not an .npy file (numpy's files begin with \\x93NUMPY)");
      }
      buffer.position(buffer.position() + MAGIC.length);
      int major = buffer.get();
      buffer.get();
      long headerLength = major == 1 ? Short.toUnsignedInt(buffer.getShort())
          : buffer.remaining() >= 4 ? Integer.toUnsignedLong(buffer.getInt()) : -1;
      if ((major != 1 && major != 2 && major != 3) || headerLength < 0 || headerLength > buffer.remaining()) {
        throw new TensorFormatException(pointer, "an .npy file of format version " + major
            + " or with a cut-off header; numpy writes versions 1 to 3");
      }
      byte[] text = new byte[(int) headerLength];
      buffer.get(text);
      String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      boolean structured = STRUCTURED.matcher(dict).find();
      Matcher descr = DESCR.matcher(dict);
      Matcher fortran = FORTRAN.matcher(dict);
      Matcher shape = SHAPE.matcher(dict);
      if (!(structured || descr.find()) || !fortran.find() || !shape.find()) {
        throw new TensorFormatException(pointer, "the .npy header lacks 'descr', 'fortran_order' or 'shape': "
            + abbreviate(dict));
      }
      long[] dims = shape(shape.group(1), pointer);
      if (structured) {
        return new Header("structured", null, "a structured dtype (named fields; send one plain array per input)", 0,
            ByteOrder.LITTLE_ENDIAN, false, dims);
      }
      return of(descr.group(1), fortran.group(1).equals("True"), dims, pointer);
    }

    private static Header of(String descr, boolean fortranOrder, long[] shape, String pointer)
        throws TensorFormatException {
      Matcher parts = TYPESTR.matcher(descr);
      if (!parts.matches()) {
        throw new TensorFormatException(pointer, "the .npy dtype '" + descr + "' is not one numpy writes");
      }
      ByteOrder order = ">".equals(parts.group(1)) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      char kind = parts.group(2).charAt(0);
      int size = parts.group(3).isEmpty() ? 0 : Integer.parseInt(parts.group(3));
      String name = numpyName(kind, size, parts.group(4));
      DType dtype = DType.fromContractName(name).orElse(null);
      int itemSize = kind == 'U' ? size * 4 : size;
      return new Header(descr, dtype, name, itemSize, order, fortranOrder, shape);
    }

    /** The dtype's name as numpy prints it: float32, int16, complex64, <U8, datetime64[s], … */
    private static String numpyName(char kind, int size, String unit) {
      return switch (kind) {
        case 'f' -> size == 2 || size == 4 || size == 8 ? "float" + size * 8 : "longdouble (float" + size * 8 + ")";
        case 'i' -> "int" + size * 8;
        case 'u' -> "uint" + size * 8;
        case 'b' -> size == 1 ? "bool" : "bool of " + size + " bytes";
        case 'c' -> "complex" + size * 8;
        case 'U' -> "str (<U" + size + ")";
        case 'S', 'a' -> "bytes (S" + size + ")";
        case 'O' -> "object (pickled Python objects)";
        case 'M' -> "datetime64" + (unit == null ? "" : unit);
        case 'm' -> "timedelta64" + (unit == null ? "" : unit);
        case 'V' -> "void (V" + size + ")";
        default -> "'" + kind + size + "'";
      };
    }

    private static long[] shape(String tuple, String pointer) throws TensorFormatException {
      String[] parts = tuple.split(",");
      long[] shape = new long[parts.length];
      int rank = 0;
      for (String part : parts) {
        String dim = part.strip();
        if (dim.isEmpty()) {
          continue;
        }
        try {
          shape[rank] = Long.parseLong(dim.endsWith("L") ? dim.substring(0, dim.length() - 1) : dim);
        } catch (NumberFormatException e) {
          shape[rank] = -1;
        }
        if (shape[rank] < 0) {
          throw new TensorFormatException(pointer, "the .npy shape (" + tuple + ") is not a tuple of sizes");
        }
        rank++;
      }
      long[] dims = Arrays.copyOf(shape, rank);
      if (rank > Tensor.MAX_RANK || Tensor.saturatedSizeOf(dims) > Integer.MAX_VALUE) {
        throw new TensorFormatException(pointer, "the .npy shape (" + tuple + ") is larger than a request can be");
      }
      return dims;
    }

    private static boolean startsWithMagic(ByteBuffer buffer) {
      for (int i = 0; i < MAGIC.length; i++) {
        if (buffer.get(buffer.position() + i) != MAGIC[i]) {
          return false;
        }
      }
      return true;
    }

    private static String abbreviate(String text) {
      return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
  }

  private static float[] floats(ByteBuffer buffer, int count) {
    float[] values = new float[count];
    buffer.asFloatBuffer().get(values);
    return values;
  }

  private static double[] doubles(ByteBuffer buffer, int count) {
    double[] values = new double[count];
    buffer.asDoubleBuffer().get(values);
    return values;
  }

  private static float[] halves(ByteBuffer buffer, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = halfToFloat(buffer.getShort());
    }
    return values;
  }

  /** IEEE 754 half precision to float, exactly (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short half) {
    int bits = half & 0xFFFF;
    int sign = (bits >>> 15) << 31;
    int exponent = (bits >>> 10) & 0x1F;
    int mantissa = bits & 0x3FF;
    if (exponent == 0x1F) { // infinities and NaN
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) { // zero and subnormals: mantissa × 2^-24
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
  }

  private static long[] longs(ByteBuffer buffer, int count, DType dtype) {
    long[] values = new long[count];
    switch (dtype) {
      case INT64 -> buffer.asLongBuffer().get(values);
      case INT32 -> {
        for (int i = 0; i < count; i++) {
          values[i] = buffer.getInt();
        }
      }
      case INT8 -> {
        for (int i = 0; i < count; i++) {
          values[i] = buffer.get();
        }
      }
      default -> {
        for (int i = 0; i < count; i++) {
          values[i] = Byte.toUnsignedLong(buffer.get());
        }
      }
    }
    return values;
  }

  private static boolean[] booleans(ByteBuffer buffer, int count) {
    boolean[] values = new boolean[count];
    for (int i = 0; i < count; i++) {
      values[i] = buffer.get() != 0;
    }
    return values;
  }

  /** Values stored column-major (Fortran order) rearranged row-major, as every tensor here is held. */
  private static Object cOrder(Object fortran, long[] shape) {
    int count = java.lang.reflect.Array.getLength(fortran);
    Object c = java.lang.reflect.Array.newInstance(fortran.getClass().getComponentType(), count);
    int rank = shape.length;
    long[] fortranStrides = new long[rank];
    long stride = 1;
    for (int axis = 0; axis < rank; axis++) {
      fortranStrides[axis] = stride;
      stride *= shape[axis];
    }
    long[] index = new long[rank];
    for (int i = 0; i < count; i++) {
      long source = 0;
      for (int axis = 0; axis < rank; axis++) {
        source += index[axis] * fortranStrides[axis];
      }
      System.arraycopy(fortran, (int) source, c, i, 1);
      for (int axis = rank - 1; axis >= 0; axis--) {
        if (++index[axis] < shape[axis]) {
          break;
        }
        index[axis] = 0;
      }
    }
    return c;
  }

  private static void checkFinite(Object values, long[] shape, String name, String pointer)
      throws ContractViolation {
    int length = java.lang.reflect.Array.getLength(values);
    for (int i = 0; i < length; i++) {
      double value = values instanceof float[] floats ? floats[i] : ((double[]) values)[i];
      if (!Double.isFinite(value)) {
        throw ContractViolation.ofValue(name, pointer + Tensor.pointerOf(shape, i), "finite values (the input does"
            + " not allow NaN or infinities)", Double.toString(value));
      }
    }
  }
}
