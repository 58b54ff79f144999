package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Content codings: which are read, which are compressed (and so decoded off the event loop), and their limit. */
class ContentCodingsTest {

  @Test
  void gzipAndDeflateAreCompressedWhateverTheirSpellingAndIdentityIsNot() {
    assertThat(ContentCodings.isCompressed("gzip")).isTrue();
    assertThat(ContentCodings.isCompressed(" X-GZIP ")).isTrue();
    assertThat(ContentCodings.isCompressed("deflate")).isTrue();
    assertThat(ContentCodings.isCompressed(null)).isFalse();
    assertThat(ContentCodings.isCompressed("identity")).isFalse();
    assertThat(ContentCodings.isCompressed("")).isFalse();
  }

  @Test
  void aFewKilobytesOfGzipThatUnpackPastTheLimitAre413() throws Exception {
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(packed)) {
      gzip.write(new byte[2 << 20]);
    }
    assertThat(packed.size()).isLessThan(4096);

    RequestRefused refused = catchThrowableOfType(RequestRefused.class,
        () -> ContentCodings.decodedBody(Unpooled.wrappedBuffer(packed.toByteArray()), "gzip", 1 << 20));

    assertThat(refused).isNotNull();
    assertThat(refused.response().status()).isEqualTo(413);
  }
}
