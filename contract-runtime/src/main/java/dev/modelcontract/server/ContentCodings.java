package dev.modelcontract.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/** The content codings a request body may use (RFC 9110 section 8.4): gzip and deflate, or none. */
final class ContentCodings {

  static final String SUPPORTED = "gzip, deflate";

  private ContentCodings() {}

  static boolean isSupported(String coding) {
    return coding == null || switch (normalized(coding)) {
      case "", "identity", "gzip", "x-gzip", "deflate" -> true;
      default -> false;
    };
  }

  /**
   * Whether a body in this coding is compressed: then its size says nothing of what it unpacks to (a few kilobytes
   * of gzip unpack to the body limit), so it is decoded off the event loop however small it is.
   */
  static boolean isCompressed(String coding) {
    return coding != null && switch (normalized(coding)) {
      case "", "identity" -> false;
      default -> true;
    };
  }

  /** The decoded body; the caller bounds what is read from it. */
  static InputStream decoded(String coding, InputStream body) throws IOException {
    if (coding == null) {
      return body;
    }
    return switch (normalized(coding)) {
      case "gzip", "x-gzip" -> new GZIPInputStream(body, 8192);
      case "deflate" -> new InflaterInputStream(body);
      default -> body;
    };
  }

  /**
   * A request's body, its content coding (the Content-Encoding header; null for none) undone, within the size limit.
   *
   * @throws RequestRefused when the body, decoded, is over the limit or not valid in its coding
   */
  static byte[] decodedBody(ByteBuf content, String coding, long limit) throws RequestRefused {
    if (coding == null) {
      if (content.hasArray() && content.arrayOffset() == 0 && content.readerIndex() == 0
          && content.readableBytes() == content.array().length) {
        return content.array(); // collected whole on the heap (LargeBodyCollector): held once, not copied
      }
      return ByteBufUtil.getBytes(content); // the aggregator already held it to the limit
    }
    try (InputStream in = new BoundedInputStream(decoded(coding, new ByteBufInputStream(content)), limit)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw Refusals.whileReading(e, coding, limit);
    }
  }

  private static String normalized(String coding) {
    return coding.strip().toLowerCase(Locale.ROOT);
  }
}
