package dev.modelcontract.tensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * numpy {@code .npy} files mutated where their structure is: the magic, the format version, the header's length
 * field, the dtype, memory order and shape in the header's dict (other dtypes, shapes whose product overflows,
 * dicts numpy would not write), and the values after it (too few, too many, NaN and infinities); or anywhere, by
 * flipped bytes and truncation. Deterministic from a seeded {@link Random}.
 */
public final class NpyMutations {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** dtypes numpy writes (of other kinds, sizes and byte orders) and some it never would. */
  private static final List<String> DESCRS = List.of("<f8", ">f4", "<f2", "|b1", "<i8", "<i4", "|i1", "|u1", "<u8",
      "<U10", "|S5", "|O", "<c8", "<M8[ns]", "<m8[s]", "|V4", "<f16", "<f3", "f4", "=f4", "<f", "", "<f44444444",
      "<f4 ", "x", "<b4", "<U0", "<U999999", "'", "<f4', 'descr': '<f8");
  private static final List<String> SHAPES = List.of("()", "(0,)", "(0, 6)", "(-1, 6)", "(2, 6)", "(1, 6, 1)",
      "(6,)", "(1,)", "(9223372036854775807, 2)", "(4294967296, 4294967296)", "(3037000500, 3037000500)",
      "(1, 2, 3", "(a, b)", "(2L, 6L)", "(1e3, 6)", "(" + "1, ".repeat(40) + ")", "(2147483648,)", "(,)", "(, 6)",
      "(1, 20, 4)", "(20, 4)", "(4, 20, 4)", "(1, 1, 4)", "(100000, 4)", "(0x10, 6)", "(+1, 6)", "(١, 6)");
  private static final List<String> FORTRAN = List.of("True", "False", "1", "None", "true", "'False'", "");
  /** Float32 bit patterns that a value check must see: NaN (quiet, signalling, negative), infinities, extremes. */
  private static final List<Integer> FLOAT_BITS = List.of(0x7FC00000, 0x7F800001, 0xFFC00000, 0x7F800000,
      0xFF800000, 0x00000001, 0x80000000, 0x7F7FFFFF, 0xFF7FFFFF);

  private NpyMutations() {}

  /** One to three mutations of a valid .npy file. */
  public static byte[] mutated(byte[] npy, Random random) {
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      npy = mutate(npy, random);
    }
    return npy;
  }

  private static byte[] mutate(byte[] npy, Random random) {
    Parsed parsed = Parsed.of(npy);
    if (parsed == null) {
      return random.nextBoolean() ? JsonMutations.flip(npy, random) : Arrays.copyOf(npy,
          random.nextInt(npy.length + 1));
    }
    return switch (random.nextInt(14)) {
      case 0 -> JsonMutations.flip(npy, random);
      case 1 -> Arrays.copyOf(npy, random.nextInt(npy.length + 1)); // truncated, in the header or the values
      case 2 -> parsed.withDict(member(parsed.dict, "descr", "'" + pick(DESCRS, random) + "'")).bytes();
      case 3 -> parsed.withDict(member(parsed.dict, "shape", pick(SHAPES, random))).bytes();
      case 4 -> parsed.withDict(member(parsed.dict, "fortran_order", pick(FORTRAN, random))).bytes();
      case 5 -> parsed.withDict(brokenDict(parsed.dict, random)).bytes();
      case 6 -> parsed.withMajor(pick(List.of(0, 2, 3, 4, 255), random)).bytes();
      case 7 -> withLengthField(parsed.bytes(), parsed.major, pick(List.of(0, 1, parsed.dict.length() - 1,
          parsed.dict.length() + 1, 65535, random.nextInt(70_000)), random));
      case 8 -> parsed.withData(Arrays.copyOf(parsed.data, Math.max(0, parsed.data.length + random.nextInt(17)
          - 8))).bytes(); // values missing or in excess
      case 9 -> parsed.withData(withFloatBits(parsed.data, random)).bytes();
      case 10 -> random.nextBoolean() ? Arrays.copyOf(MAGIC, 1 + random.nextInt(MAGIC.length))
          : concat("NUMPY".getBytes(StandardCharsets.ISO_8859_1), Arrays.copyOfRange(npy, 6, npy.length));
      case 11 -> parsed.withDict(parsed.dict.replace("}", " ".repeat(random.nextBoolean() ? 200 : 60_000) + "}"))
          .bytes(); // a long header (over 64 KiB needs format 2)
      case 12 -> parsed.withData(concat(parsed.data, parsed.data)).withDict(member(parsed.dict, "shape",
          doubledShape(parsed.dict))).bytes(); // twice the rows, consistently
      default -> parsed.withMajor(3).withDict(parsed.dict.replace("'descr'", random.nextBoolean() ? "'déscr'"
          : "'descr\uD800'")).bytes(); // format 3's header is UTF-8 text
    };
  }

  /** The dict with the value of {@code key} replaced, or the member added where the dict lacks it. */
  private static String member(String dict, String key, String value) {
    int at = dict.indexOf("'" + key + "'");
    if (at < 0) {
      return dict.replaceFirst("\\{", "{'" + key + "': " + value + ", ");
    }
    int start = dict.indexOf(':', at) + 1;
    int end = start;
    int depth = 0;
    boolean quoted = false;
    while (end < dict.length()) {
      char c = dict.charAt(end);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 0 && (c == ',' || c == '}')) {
        break;
      }
      end++;
    }
    return dict.substring(0, start) + " " + value + dict.substring(end);
  }

  private static String brokenDict(String dict, Random random) {
    return switch (random.nextInt(7)) {
      case 0 -> dict.replace("{", "");
      case 1 -> dict.replace("'", "\"");
      case 2 -> dict.replaceFirst("'shape'", "'shapes'");
      case 3 -> dict.replaceFirst("'descr'[^,]*,", ""); // no dtype
      case 4 -> dict.replace("}", ", 'descr': '<f8'}"); // the dtype twice
      case 5 -> "{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (2,), }";
      default -> dict.substring(0, random.nextInt(dict.length() + 1));
    };
  }

  private static String doubledShape(String dict) {
    int at = dict.indexOf("'shape': (");
    if (at < 0) {
      return "(2,)";
    }
    int open = at + "'shape': (".length();
    int close = dict.indexOf(')', open);
    String[] dims = close < 0 ? new String[0] : dict.substring(open, close).split(",");
    if (dims.length == 0) {
      return "(2,)";
    }
    try {
      dims[0] = Long.toString(Long.parseLong(dims[0].strip()) * 2);
    } catch (NumberFormatException e) {
      return "(2,)";
    }
    return "(" + String.join(",", dims) + (dims.length == 1 ? ",)" : ")");
  }

  /** Some float32 values (little-endian, where numpy writes them) replaced by NaN, infinities or extremes. */
  private static byte[] withFloatBits(byte[] data, Random random) {
    if (data.length < 4) {
      return data;
    }
    ByteBuffer values = ByteBuffer.wrap(data.clone()).order(ByteOrder.LITTLE_ENDIAN);
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      values.putInt(random.nextInt(data.length / 4) * 4, pick(FLOAT_BITS, random));
    }
    return values.array();
  }

  /** The file with the header-length field set to {@code length}, whatever the header's real length. */
  private static byte[] withLengthField(byte[] npy, int major, int length) {
    byte[] changed = npy.clone();
    ByteBuffer buffer = ByteBuffer.wrap(changed).order(ByteOrder.LITTLE_ENDIAN);
    if (major == 1) {
      buffer.putShort(8, (short) length);
    } else if (changed.length >= 12) {
      buffer.putInt(8, length);
    }
    return changed;
  }

  private static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  /** A well-formed file taken apart: its format version, its header dict (padding and newline included), values. */
  private record Parsed(int major, String dict, byte[] data) {

    static Parsed of(byte[] npy) {
      if (npy.length < 10 || !Arrays.equals(npy, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
        return null;
      }
      ByteBuffer buffer = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
      int major = npy[6];
      int start = major == 1 ? 10 : 12;
      if ((major < 1 || major > 3) || npy.length < start) {
        return null;
      }
      long length = major == 1 ? Short.toUnsignedInt(buffer.getShort(8)) : Integer.toUnsignedLong(buffer.getInt(8));
      if (start + length > npy.length) {
        return null;
      }
      String dict = new String(npy, start, (int) length, major == 3 ? StandardCharsets.UTF_8
          : StandardCharsets.ISO_8859_1);
      return new Parsed(major, dict, Arrays.copyOfRange(npy, start + (int) length, npy.length));
    }

    Parsed withDict(String changed) {
      return new Parsed(major, changed, data);
    }

    Parsed withMajor(int changed) {
      return new Parsed(changed, dict, data);
    }

    Parsed withData(byte[] changed) {
      return new Parsed(major, dict, changed);
    }

    /** The file, its header-length field as long as the dict (in two bytes for format 1, else four). */
    byte[] bytes() {
      byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      int lengthBytes = major == 1 ? 2 : 4;
      ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 2 + lengthBytes + text.length + data.length)
          .order(ByteOrder.LITTLE_ENDIAN);
      out.put(MAGIC).put((byte) major).put((byte) 0);
      if (major == 1) {
        out.putShort((short) text.length);
      } else {
        out.putInt(text.length);
      }
      return out.put(text).put(data).array();
    }
  }
}
