package dev.modelcontract.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.1 request as raw parts that a test may get wrong one by one: the request line's method, target and
 * version, header lines in order (any text, valid or not), and the body framed by Content-Length or in chunks.
 * {@link #bytes()} writes exactly what the parts say, however wrong.
 */
final class WireRequest {

  String method;
  String target;
  String version = "HTTP/1.1";
  /** Header lines without their CRLF, in order: "Name: value", or anything at all. */
  final List<String> headers = new ArrayList<>();
  byte[] body;
  /** The body's chunk sizes in order (the last chunk of size 0 is implied); null where Content-Length frames it. */
  List<Integer> chunks;
  /** Text after each chunk's size (";name=value" extensions), or null for none. */
  String chunkExtension;
  /** Header lines after the last chunk. */
  final List<String> trailers = new ArrayList<>();
  /** The size line of one chunk written as this text instead (a size that is no hex number), or null. */
  String chunkSizeText;
  int chunkSizeTextAt;
  /** Bytes written after the body as they are: what a mutation adds that no part can say. */
  byte[] afterBody = new byte[0];

  WireRequest(String method, String target, byte[] body) {
    this.method = method;
    this.target = target;
    this.body = body;
  }

  WireRequest header(String name, String value) {
    headers.add(name + ": " + value);
    return this;
  }

  /** The first value of a header, by name in any case; null where none. */
  String value(String name) {
    int at = indexOf(name);
    return at < 0 ? null : headers.get(at).substring(headers.get(at).indexOf(':') + 1).strip();
  }

  /** Replaces the value of the first header of that name (adding it where none); null removes every one. */
  void set(String name, String value) {
    int at = indexOf(name);
    if (value == null) {
      headers.removeIf(line -> line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"));
    } else if (at < 0) {
      headers.add(name + ": " + value);
    } else {
      headers.set(at, name + ": " + value);
    }
  }

  private int indexOf(String name) {
    String prefix = name.toLowerCase(Locale.ROOT) + ":";
    for (int i = 0; i < headers.size(); i++) {
      if (headers.get(i).toLowerCase(Locale.ROOT).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  /** The body in chunks of these sizes (their sum is the body's length, or a mutation made it not). */
  void chunked(List<Integer> sizes) {
    set("Content-Length", null);
    set("Transfer-Encoding", "chunked");
    chunks = sizes;
  }

  /** The whole request on the wire: request line, headers, blank line, then the body as framed. */
  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
    StringBuilder head = new StringBuilder(method).append(' ').append(target);
    if (!version.isEmpty()) {
      head.append(' ').append(version);
    }
    head.append("\r\n");
    headers.forEach(line -> head.append(line).append("\r\n"));
    out.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    if (chunks == null) {
      out.writeBytes(body);
    } else {
      int at = 0;
      for (int i = 0; i < chunks.size(); i++) {
        int size = chunks.get(i);
        int length = Math.max(0, Math.min(size, body.length - at));
        String sizeLine = chunkSizeText != null && i == chunkSizeTextAt ? chunkSizeText : Integer.toHexString(size);
        out.writeBytes(ascii(sizeLine + (chunkExtension == null ? "" : chunkExtension) + "\r\n"));
        out.write(body, at, length);
        out.writeBytes(ascii("\r\n"));
        at += length;
      }
      StringBuilder end = new StringBuilder("0\r\n");
      trailers.forEach(line -> end.append(line).append("\r\n"));
      out.writeBytes(ascii(end.append("\r\n").toString()));
    }
    out.writeBytes(afterBody);
    return out.toByteArray();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
