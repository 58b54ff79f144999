package dev.modelcontract.server;

import dev.modelcontract.tensors.JsonMutations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a fuzzed body travels: its content coding (none, gzip, deflate; valid, broken, mislabelled, or a bomb that
 * unpacks to just over or just under the size limit) and, for chunked transfer, the sizes of its chunks.
 */
final class CodingMutations {

  /**
   * A body as sent and its Content-Encoding (null for none).
   *
   * @param what the coding in words, for the report
   * @param intact whether the body decodes to what it was before coding
   */
  record Coded(String coding, byte[] body, String what, boolean intact) {}

  /** Spaces that unpack to a few bytes more than the limit, and a few fewer: a gzip member put before a body. */
  private final byte[] overLimit;
  private final byte[] underLimit;

  CodingMutations(long limit) {
    this.overLimit = gzip(new byte[Math.toIntExact(limit + 64)], (byte) ' ');
    this.underLimit = gzip(new byte[Math.toIntExact(limit - 64 * 1024)], (byte) ' ');
  }

  Coded coded(byte[] body, Random random) {
    int roll = random.nextInt(100);
    if (roll < 70) {
      return new Coded(null, body, "identity", true);
    }
    if (roll < 79) {
      String label = roll < 77 ? "gzip" : roll == 77 ? "x-gzip" : " GZip ";
      return new Coded(label, gzip(body), "gzip labelled '" + label + "'", true);
    }
    if (roll < 85) {
      return new Coded("deflate", zlib(body), "deflate (zlib)", true);
    }
    if (roll < 87) {
      byte[] zlib = zlib(body);
      return new Coded("deflate", Arrays.copyOfRange(zlib, 2, zlib.length - 4), "raw deflate without zlib's wrapper",
          false);
    }
    if (roll < 89) {
      int half = random.nextInt(body.length + 1);
      return new Coded("gzip", concat(gzip(Arrays.copyOf(body, half)), gzip(Arrays.copyOfRange(body, half,
          body.length))), "gzip in two members", true);
    }
    if (roll < 94) {
      byte[] coded = random.nextBoolean() ? gzip(body) : zlib(body);
      String coding = coded[0] == 0x1f ? "gzip" : "deflate";
      return random.nextBoolean() ? new Coded(coding, JsonMutations.flip(coded, random), coding + ", bytes flipped",
          false) : new Coded(coding, Arrays.copyOf(coded, random.nextInt(coded.length)), coding + ", cut short",
          false);
    }
    if (roll < 96) {
      boolean over = random.nextBoolean();
      return new Coded("gzip", concat(over ? overLimit : underLimit, gzip(body)), "gzip bomb of spaces, just "
          + (over ? "over" : "under") + " the limit, before the body", false);
    }
    if (roll < 98) {
      return new Coded("gzip", gzip(gzip(body)), "gzip twice, labelled once", false);
    }
    return new Coded(random.nextBoolean() ? "gzip" : "deflate", body, "labelled compressed, sent plain", false);
  }

  /** Chunk sizes that add up to the length: one chunk, a few, or many small ones. */
  static List<Integer> chunks(int length, Random random) {
    List<Integer> sizes = new ArrayList<>();
    int pieces = random.nextInt(4) == 0 ? Math.min(200, Math.max(1, length)) : 1 + random.nextInt(8);
    int left = length;
    for (int i = pieces; i > 1 && left > 0; i--) {
      int size = 1 + random.nextInt(Math.max(1, 2 * left / i));
      size = Math.min(size, left);
      sizes.add(size);
      left -= size;
    }
    if (left > 0 || sizes.isEmpty()) {
      sizes.add(left);
    }
    sizes.removeIf(size -> size == 0); // a chunk of size 0 is the last one
    return sizes;
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] buffer, byte fill) {
    Arrays.fill(buffer, fill);
    return gzip(buffer);
  }

  private static byte[] zlib(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(out)) {
      deflate.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
