package dev.modelcontract.server;

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

  private static String normalized(String coding) {
    return coding.strip().toLowerCase(Locale.ROOT);
  }
}
