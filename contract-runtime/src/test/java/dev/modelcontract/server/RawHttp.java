package dev.modelcontract.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One client connection that writes raw bytes and parses responses by hand, so tests can send what no HTTP client
 * would (bad lengths, huge lines, pipelined requests, stalls) and see exactly what the server answers, in order.
 */
final class RawHttp implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  /** Set when a write failed because the server had already closed or reset the connection. */
  private volatile IOException writeFailure;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** A connection to the server on loopback that waits at most {@code timeoutMillis} for any read. */
  static RawHttp connect(int port, int timeoutMillis) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(timeoutMillis);
    socket.setTcpNoDelay(true);
    return new RawHttp(socket);
  }

  static RawHttp connect(int port) throws IOException {
    return connect(port, 10_000);
  }

  RawHttp send(String ascii) throws IOException {
    return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawHttp send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /**
   * Writes as much of {@code bytes} as the server takes. A server that answers early and closes may reset the
   * connection while a large request is still being written; the answer it sent first is still readable, and
   * that answer is what the test checks.
   */
  RawHttp sendToleratingClose(byte[] bytes) {
    try {
      send(bytes);
    } catch (IOException e) {
      writeFailure = e;
    }
    return this;
  }

  /** Writes {@code bytes} on another thread, so a test can read the answer while a large body is still going out. */
  Thread sendInBackground(byte[] bytes) {
    Thread writer = new Thread(() -> sendToleratingClose(bytes), "raw-http-writer");
    writer.setDaemon(true);
    writer.start();
    return writer;
  }

  IOException writeFailure() {
    return writeFailure;
  }

  /** A request head (request line and headers, then the blank line) with the given header lines. */
  static String head(String requestLine, String... headers) {
    StringBuilder head = new StringBuilder(requestLine).append("\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  /** A complete POST /invocations of a JSON body with its Content-Length. */
  static byte[] invocation(byte[] json, String... extraHeaders) {
    List<String> headers = new ArrayList<>(List.of("Host: 127.0.0.1", "Content-Type: application/json",
        "Content-Length: " + json.length));
    headers.addAll(List.of(extraHeaders));
    byte[] head = head("POST /invocations HTTP/1.1", headers.toArray(String[]::new))
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[head.length + json.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(json, 0, request, head.length, json.length);
    return request;
  }

  static String get(String path) {
    return head("GET " + path + " HTTP/1.1", "Host: 127.0.0.1");
  }

  /**
   * Reads one response: the status line, the headers, and a body of exactly Content-Length bytes (none when the
   * header is absent, as for {@code 100 Continue}).
   *
   * @throws IOException when the connection ends or times out before the response is complete
   */
  Response read() throws IOException {
    return read(false);
  }

  /**
   * Reads one response; one to a HEAD request ({@code bodiless}) has no body, whatever its Content-Length says.
   *
   * @throws IOException when the connection ends or times out before the response is complete
   */
  Response read(boolean bodiless) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("the server closed the connection before answering");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); line != null && !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
    }
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    String length = headers.get("content-length");
    byte[] body = length == null || bodiless ? new byte[0] : in.readNBytes(Integer.parseInt(length));
    if (length != null && !bodiless && body.length != Integer.parseInt(length)) {
      throw new IOException("the body ended after " + body.length + " of " + length + " bytes");
    }
    return new Response(statusLine, status, headers, body);
  }

  /** One line without its CRLF; null at the end of the stream before any byte of it. */
  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    for (int b = in.read(); ; b = in.read()) {
      if (b < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw new IOException("the connection ended inside the line " + line.toString(StandardCharsets.ISO_8859_1));
      }
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
  }

  /**
   * Whether the server has closed the connection: the next read ends the stream (or is reset) within the socket's
   * timeout instead of returning data or timing out.
   */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset: closed with bytes of ours unread
    }
  }

  /** Whether the server has sent something not yet read. */
  boolean hasBytes() throws IOException {
    return in.available() > 0;
  }

  /** Half-closes the connection, as a client that has sent its last request may: the server reads its end. */
  void sendNoMore() throws IOException {
    socket.shutdownOutput();
  }

  void setReadTimeout(int millis) throws SocketException {
    socket.setSoTimeout(millis);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A parsed response; header names are lower case. */
  record Response(String statusLine, int status, Map<String, String> headers, byte[] body) {

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      return JSON.readTree(body);
    }

    @Override
    public String toString() {
      return statusLine + " " + headers + " " + text();
    }
  }
}
