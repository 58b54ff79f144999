package dev.modelcontract.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.contract.DType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Broken .npz archives are refused as malformed bodies in the request's terms, never with a library's failure. */
class NpzTest {

  private static final Map<String, ElementType> TYPES = Map.of("x", new ElementType(DType.FLOAT32, false));

  private static TensorFormatException failure(byte[] archive) {
    TensorFormatException e = catchThrowableOfType(TensorFormatException.class,
        () -> Npz.read(archive, 0, archive.length, TYPES, 1 << 20));
    assertThat(e).isNotNull();
    return e;
  }

  private static byte[] archive(String name, java.nio.charset.Charset names) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out, names)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(Npy.toBytes(Tensor.of(new long[] {2}, new float[] {1, 2})));
      zip.closeEntry();
    }
    return out.toByteArray();
  }

  @Test
  void anEntryNameThatIsNotUtf8IsAMalformedArchive() throws Exception {
    TensorFormatException e = failure(archive("\u00e9t\u00e9.npy", StandardCharsets.ISO_8859_1));

    assertThat(e.getMessage()).isEqualTo("not a valid .npz (zip) archive: an entry's name is not UTF-8 text");
  }

  @Test
  void anArchiveCutShortNamesNoLibraryClass() throws Exception {
    byte[] whole = archive("x.npy", StandardCharsets.UTF_8);
    TensorFormatException e = failure(Arrays.copyOf(whole, 60));

    assertThat(e.getMessage()).startsWith("not a valid .npz (zip) archive").doesNotContain("java.");
  }
}
