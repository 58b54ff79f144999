package dev.modelcontract.tensors;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.JsonPointer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * numpy's {@code .npz} archives, as {@code np.savez} and {@code np.savez_compressed} write them: a zip of one
 * {@code NAME.npy} per array. Each array is read as {@link Npy} reads it, by the declared type of the input of its
 * name; unpacked sizes count against a limit, so a small archive cannot unpack into a large request.
 */
public final class Npz {

  private static final String SUFFIX = ".npy";

  private Npz() {}

  /**
   * Reads every array of the archive, by name.
   *
   * @param types the declared element type of each input; arrays of other names are read in their own dtype
   * @param maxUnpackedBytes the most bytes the arrays may unpack to, together
   * @throws TooLarge when they unpack to more
   * @throws ContractViolation when an array's dtype is not its input's, or a value breaks the input's rules
   * @throws TensorFormatException when the bytes are not an archive of .npy files
   */
  public static Map<String, Tensor> read(byte[] bytes, int offset, int length, Map<String, ElementType> types,
      long maxUnpackedBytes) throws TensorFormatException, ContractViolation, TooLarge {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    long unpacked = 0;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes, offset, length))) {
      byte[] buffer = new byte[8192];
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        String file = entry.getName();
        String pointer = "/" + JsonPointer.escape(file);
        if (!file.endsWith(SUFFIX) || file.length() == SUFFIX.length()) {
          throw new TensorFormatException(pointer, "the archive holds '" + file + "'; an .npz request holds one"
              + " NAME.npy per input, as np.savez(file, NAME=array) writes it");
        }
        byte[] npy;
        long declared = entry.getSize();
        if (declared >= 0 && declared <= maxUnpackedBytes - unpacked) {
          // The size numpy's writer puts in the entry's header: read into an array of that size in one call (the
          // zip reader still checks the size and the CRC when the entry ends).
          npy = zip.readNBytes((int) declared);
          if (npy.length != declared || zip.read() >= 0) {
            throw new TensorFormatException(pointer, "'" + file + "' does not hold the " + declared
                + " bytes its zip header declares");
          }
          unpacked += declared;
        } else {
          ByteArrayOutputStream array = new ByteArrayOutputStream();
          for (int read = zip.read(buffer); read >= 0; read = zip.read(buffer)) {
            unpacked += read;
            if (unpacked > maxUnpackedBytes) {
              throw new TooLarge(maxUnpackedBytes);
            }
            array.write(buffer, 0, read);
          }
          npy = array.toByteArray();
        }
        String name = file.substring(0, file.length() - SUFFIX.length());
        if (tensors.put(name, Npy.read(npy, 0, npy.length, name, pointer, types.get(name))) != null) {
          throw new TensorFormatException(pointer, "the archive holds '" + file + "' twice");
        }
      }
    } catch (ZipException e) {
      throw new TensorFormatException("", "not a valid .npz (zip) archive: " + e.getMessage());
    } catch (EOFException e) {
      throw new TensorFormatException("", "not a valid .npz (zip) archive: it ends inside an entry");
    } catch (IOException e) {
      throw new TensorFormatException("", "not a valid .npz (zip) archive: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      // the JDK's zip reader refuses an entry name that is not UTF-8 text this way
      throw new TensorFormatException("", "not a valid .npz (zip) archive: an entry's name is not UTF-8 text");
    }
    if (tensors.isEmpty()) {
      throw new TensorFormatException("", "the .npz archive holds no array (or is not a zip archive)");
    }
    return tensors;
  }

  /** Writes the tensors as {@code np.savez} does: one stored (uncompressed) {@code NAME.npy} each, in map order. */
  public static void write(Map<String, ? extends Tensor> tensors, OutputStream out) {
    try {
      ZipOutputStream zip = new ZipOutputStream(out);
      for (Map.Entry<String, ? extends Tensor> tensor : tensors.entrySet()) {
        byte[] npy = Npy.toBytes(tensor.getValue());
        ZipEntry entry = new ZipEntry(tensor.getKey() + SUFFIX);
        CRC32 crc = new CRC32();
        crc.update(npy);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(npy.length);
        entry.setCompressedSize(npy.length);
        entry.setCrc(crc.getValue());
        entry.setTime(0); // the same outputs give the same bytes
        zip.putNextEntry(entry);
        zip.write(npy);
        zip.closeEntry();
      }
      zip.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An archive that unpacks to more than the limit. */
  public static final class TooLarge extends Exception {
    private final long limit;

    TooLarge(long limit) {
      super("the .npz archive unpacks to more than " + limit + " bytes");
      this.limit = limit;
    }

    public long limit() {
      return limit;
    }
  }
}
