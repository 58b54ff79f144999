package dev.modelcontract.tensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * numpy {@code .npz} archives mutated where their structure is: an entry's .npy (by {@link NpyMutations}), entry
 * names (not UTF-8, not NAME.npy, unknown, twice), methods, flags, checksums and sizes that lie, data descriptors,
 * extra fields, a corrupt central directory, archives that unpack to just over (or under) the size limit; or
 * anywhere, by flipped bytes and truncation. Deterministic from a seeded {@link Random}.
 */
public final class NpzMutations {

  /** Entry names an archive may hold: not UTF-8 (with and without the UTF-8 flag), not NAME.npy, unknown, odd. */
  private static final List<byte[]> NAMES = List.of(latin1("input_1"), latin1(".npy"), latin1("../input_1.npy"),
      latin1("dir/input_1.npy"), latin1("INPUT_1.npy"), latin1("input_1.npy\0.txt"), latin1(""),
      latin1("input_3.npy"), latin1("input_1.NPY"), latin1("input_1.npy "), latin1("x".repeat(60_000) + ".npy"),
      bytes(0xFF, 0xFE, '.', 'n', 'p', 'y'), bytes(0xC3, 0x28, '.', 'n', 'p', 'y'),
      bytes(0xED, 0xA0, 0x80, '.', 'n', 'p', 'y'), bytes(0xC0, 0xAF, '.', 'n', 'p', 'y'),
      bytes('i', 'n', 'p', 'u', 't', '_', '1', 0x80, '.', 'n', 'p', 'y'), latin1("inp\u00fct_1.npy"),
      "名前.npy".getBytes(StandardCharsets.UTF_8), "features\u0000.npy".getBytes(StandardCharsets.UTF_8));
  private static final List<Integer> METHODS = List.of(RawZip.STORED, RawZip.DEFLATED, 1, 9, 12, 14, 93, 99, 65535);
  private static final List<Long> SIZES = List.of(0L, 1L, 0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L);

  private NpzMutations() {}

  /**
   * One to two mutations of a valid archive.
   *
   * @param limit the server's body limit, which bombs unpack to just over or just under
   */
  public static byte[] mutated(byte[] npz, Random random, long limit) {
    List<RawZip.Entry> entries = RawZip.read(npz);
    if (random.nextInt(8) == 0) {
      return whole(npz, random);
    }
    for (int m = 1 + random.nextInt(2); m > 0; m--) {
      entries = mutate(entries, random, limit);
    }
    RawZip.Written written = RawZip.write(entries);
    return random.nextInt(6) == 0 ? withCentralDirectoryBroken(written, random) : written.bytes();
  }

  private static List<RawZip.Entry> mutate(List<RawZip.Entry> entries, Random random, long limit) {
    List<RawZip.Entry> changed = new ArrayList<>(entries);
    if (changed.isEmpty()) {
      changed.add(RawZip.Entry.of("input_1.npy", new byte[0], false));
    }
    int at = random.nextInt(changed.size());
    RawZip.Entry entry = changed.get(at);
    switch (random.nextInt(12)) {
      case 0, 1 -> changed.set(at, RawZip.Entry.of(name(entry), NpyMutations.mutated(entry.content(), random),
          entry.method() == RawZip.DEFLATED));
      case 2 -> changed.set(at, entry.withName(pick(NAMES, random), random.nextBoolean() ? RawZip.UTF8 : 0));
      case 3 -> changed.add(random.nextInt(changed.size() + 1), entry); // the same name twice
      case 4 -> {
        if (random.nextBoolean()) {
          changed.remove(at);
        } else {
          changed.add(RawZip.Entry.of(random.nextBoolean() ? "input_9.npy" : "README.txt", entry.content(),
              random.nextBoolean()));
        }
      }
      case 5 -> changed.set(at, entry.withMethod(pick(METHODS, random)));
      case 6 -> changed.set(at, switch (random.nextInt(4)) {
        case 0 -> entry.withDeclared(entry.crc() ^ 1, entry.compressedSize(), entry.size());
        case 1 -> entry.withDeclared(entry.crc(), entry.compressedSize(), pick(SIZES, random));
        case 2 -> entry.withDeclared(entry.crc(), pick(SIZES, random), entry.size());
        default -> entry.withDeclared(entry.crc(), entry.compressedSize(), entry.size() + random.nextInt(9) - 4);
      });
      case 7 -> changed.set(at, entry.withFlags(entry.flags() | RawZip.DESCRIPTOR)); // stored ones cannot have one
      case 8 -> changed.set(at, entry.withFlags(random.nextBoolean() ? RawZip.ENCRYPTED : random.nextInt(1 << 16)));
      case 9 -> changed.set(at, entry.withExtra(extra(random)));
      case 10 -> changed.set(at, bomb(name(entry), limit, random));
      default -> changed.replaceAll(each -> RawZip.Entry.of(name(each), each.content(),
          each.method() != RawZip.DEFLATED)); // np.savez and np.savez_compressed of the same arrays
    }
    return changed;
  }

  /**
   * A deflated .npy of float32 zeros that unpacks to a few bytes over the limit, or under it; its headers declare
   * its size, or understate it, or leave it to a data descriptor.
   */
  private static RawZip.Entry bomb(String name, long limit, Random random) {
    long values = (limit - 128) / 4 + (random.nextBoolean() ? 64 : -64);
    byte[] npy = Npy.toBytes(Tensor.of(new long[] {values}, new float[(int) values]));
    RawZip.Entry entry = RawZip.Entry.of(name, npy, true);
    return switch (random.nextInt(3)) {
      case 0 -> entry;
      case 1 -> entry.withDeclared(entry.crc(), entry.compressedSize(), 1000);
      default -> entry.withFlags(RawZip.DESCRIPTOR);
    };
  }

  /** An extra field: garbage, a zip64 record too short or too long, or one whose length runs past the field. */
  private static byte[] extra(Random random) {
    ByteBuffer extra = ByteBuffer.allocate(4 + 28).order(ByteOrder.LITTLE_ENDIAN);
    extra.putShort((short) (random.nextBoolean() ? 0x0001 : random.nextInt(1 << 16)));
    int length = pick(List.of(0, 4, 8, 16, 28, 200, 65535), random);
    extra.putShort((short) length);
    for (int i = 0; i < 28; i++) {
      extra.put((byte) (random.nextBoolean() ? 0xFF : random.nextInt(256)));
    }
    return Arrays.copyOf(extra.array(), 4 + Math.min(28, random.nextInt(29)));
  }

  /** The archive with a field of its central directory or end record wrong, or either cut off. */
  private static byte[] withCentralDirectoryBroken(RawZip.Written written, Random random) {
    byte[] bytes = written.bytes().clone();
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int end = written.end();
    int central = written.centralDirectory();
    switch (random.nextInt(7)) {
      case 0 -> buffer.putInt(end + 16, random.nextBoolean() ? central + 1 : random.nextInt()); // its offset
      case 1 -> buffer.putShort(end + 10, (short) (random.nextBoolean() ? 0 : 65535)); // the entry count
      case 2 -> buffer.putShort(end + 20, (short) 65535); // a comment longer than the file
      case 3 -> {
        if (central < end) {
          buffer.putInt(central, 0x12345678); // a central entry's signature
        }
      }
      case 4 -> {
        if (central < end) {
          buffer.putInt(central + 42, random.nextInt()); // where it says the entry's local header is
        }
      }
      case 5 -> {
        return Arrays.copyOf(bytes, central + random.nextInt(end - central + 1)); // no end record
      }
      default -> {
        return Arrays.copyOf(bytes, end + random.nextInt(22));
      }
    }
    return bytes;
  }

  /** Not an archive of entries: flipped or cut anywhere, only an end record, or no zip at all. */
  private static byte[] whole(byte[] npz, Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> JsonMutations.flip(npz, random);
      case 1 -> Arrays.copyOf(npz, random.nextInt(npz.length + 1));
      case 2 -> RawZip.write(List.of()).bytes();
      default -> Arrays.copyOfRange(npz, random.nextInt(npz.length + 1), npz.length); // the start cut off
    };
  }

  private static String name(RawZip.Entry entry) {
    return new String(entry.name(), StandardCharsets.UTF_8);
  }

  private static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }

  private static byte[] latin1(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }
}
