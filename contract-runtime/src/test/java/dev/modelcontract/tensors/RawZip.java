package dev.modelcontract.tensors;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Zip archives written field by field, so that a test can get wrong what {@link java.util.zip.ZipOutputStream} always
 * gets right: names that are not UTF-8, sizes and checksums that lie, unknown methods and flags, data descriptors
 * on stored entries, and a central directory that disagrees with the entries.
 */
final class RawZip {

  static final int STORED = 0;
  static final int DEFLATED = 8;
  /** General purpose flag bits: encrypted, sizes in a data descriptor after the data, the name is UTF-8. */
  static final int ENCRYPTED = 1;
  static final int DESCRIPTOR = 1 << 3;
  static final int UTF8 = 1 << 11;

  /** Where the central directory and its end record start in a written archive, for mutations to patch. */
  record Written(byte[] bytes, int centralDirectory, int end) {}

  /**
   * One entry as written: {@code data} is what follows the local header (compressed where the method says so);
   * the checksum and sizes are those the headers declare, true or not; {@code content} is what the data holds.
   */
  record Entry(byte[] name, int method, int flags, long crc, long compressedSize, long size, byte[] extra,
      byte[] data, byte[] content) {

    /** An entry whose headers tell the truth about its content, deflated or stored. */
    static Entry of(String name, byte[] content, boolean deflate) {
      CRC32 crc = new CRC32();
      crc.update(content);
      byte[] data = deflate ? deflate(content) : content;
      return new Entry(name.getBytes(StandardCharsets.UTF_8), deflate ? DEFLATED : STORED, 0, crc.getValue(),
          data.length, content.length, new byte[0], data, content);
    }

    Entry withName(byte[] changed, int flagsChanged) {
      return new Entry(changed, method, flagsChanged, crc, compressedSize, size, extra, data, content);
    }

    Entry withMethod(int changed) {
      return new Entry(name, changed, flags, crc, compressedSize, size, extra, data, content);
    }

    Entry withFlags(int changed) {
      return new Entry(name, method, changed, crc, compressedSize, size, extra, data, content);
    }

    Entry withDeclared(long crcChanged, long compressedChanged, long sizeChanged) {
      return new Entry(name, method, flags, crcChanged, compressedChanged, sizeChanged, extra, data, content);
    }

    Entry withExtra(byte[] changed) {
      return new Entry(name, method, flags, crc, compressedSize, size, changed, data, content);
    }
  }

  private RawZip() {}

  /** The entries of a well-formed archive (a numpy-written .npz), each with its content and whether deflated. */
  static List<Entry> read(byte[] archive) {
    List<Entry> entries = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        entries.add(Entry.of(entry.getName(), zip.readAllBytes(), entry.getMethod() == ZipEntry.DEFLATED));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  /**
   * The archive: each entry's local header and data (and a data descriptor where its flags say so), then the central
   * directory of every entry, then its end record.
   */
  static Written write(List<Entry> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Integer> offsets = new ArrayList<>();
    for (Entry entry : entries) {
      offsets.add(out.size());
      boolean descriptor = (entry.flags() & DESCRIPTOR) != 0;
      ByteBuffer local = little(30 + entry.name().length + entry.extra().length);
      local.putInt(0x04034b50).putShort((short) 20).putShort((short) entry.flags()).putShort((short) entry.method())
          .putInt(0).putInt(descriptor ? 0 : (int) entry.crc()).putInt(descriptor ? 0 : (int) entry.compressedSize())
          .putInt(descriptor ? 0 : (int) entry.size()).putShort((short) entry.name().length)
          .putShort((short) entry.extra().length).put(entry.name()).put(entry.extra());
      out.writeBytes(local.array());
      out.writeBytes(entry.data());
      if (descriptor) {
        out.writeBytes(little(16).putInt(0x08074b50).putInt((int) entry.crc()).putInt((int) entry.compressedSize())
            .putInt((int) entry.size()).array());
      }
    }
    int centralDirectory = out.size();
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      ByteBuffer central = little(46 + entry.name().length + entry.extra().length);
      central.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) entry.flags())
          .putShort((short) entry.method()).putInt(0).putInt((int) entry.crc()).putInt((int) entry.compressedSize())
          .putInt((int) entry.size()).putShort((short) entry.name().length).putShort((short) entry.extra().length)
          .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(offsets.get(i))
          .put(entry.name()).put(entry.extra());
      out.writeBytes(central.array());
    }
    int end = out.size();
    out.writeBytes(little(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
        .putShort((short) entries.size()).putShort((short) entries.size()).putInt(end - centralDirectory)
        .putInt(centralDirectory).putShort((short) 0).array());
    return new Written(out.toByteArray(), centralDirectory, end);
  }

  /** Raw deflate, as zip stores it (no zlib header). */
  static byte[] deflate(byte[] content) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(content);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 4 + 64);
    byte[] chunk = new byte[8192];
    while (!deflater.finished()) {
      out.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    return out.toByteArray();
  }

  private static ByteBuffer little(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
