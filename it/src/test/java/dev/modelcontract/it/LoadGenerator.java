package dev.modelcontract.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Many keep-alive connections driven from one thread (as wrk does, so that the load takes one core), each sending the
 * given requests in turn as fast as they are answered. Unlike wrk, a connection whose answer comes before its body
 * is written (a 413, a 503 from the head) finishes writing that body and then sends the next request, as an HTTP
 * client does; a connection the server closes is opened again. Counts each status and the requests left without
 * an answer (the connection closed or failed first).
 */
final class LoadGenerator {

  /** What the load saw: each status's count, and the requests the server never answered. */
  record Result(Map<Integer, Long> statuses, long unanswered) {}

  private final InetSocketAddress server;
  private final List<byte[]> requests;
  private final Map<Integer, Long> statuses = new TreeMap<>();
  private long unanswered;
  private int next;

  LoadGenerator(String host, int port, List<byte[]> requests) {
    this.server = new InetSocketAddress(host, port);
    this.requests = requests;
  }

  Result run(int connections, long seconds) throws IOException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < connections; i++) {
        open(selector);
      }
      while (System.nanoTime() < end) {
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          Connection connection = (Connection) key.attachment();
          try {
            if (key.isConnectable() && connection.channel.finishConnect()) {
              connection.start(nextRequest());
            }
            if (key.isValid() && key.isWritable()) {
              connection.write();
            }
            if (key.isValid() && key.isReadable()) {
              connection.read();
            }
          } catch (IOException e) {
            if (connection.inFlight && !connection.answered) {
              unanswered++;
            }
            connection.close();
            open(selector);
          }
        }
        selector.selectedKeys().clear();
      }
      for (SelectionKey key : selector.keys()) {
        ((Connection) key.attachment()).close();
      }
    }
    return new Result(statuses, unanswered);
  }

  private byte[] nextRequest() {
    return requests.get(next++ % requests.size());
  }

  private void open(Selector selector) throws IOException {
    SocketChannel channel = SocketChannel.open();
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    Connection connection = new Connection(channel);
    connection.key = channel.register(selector, SelectionKey.OP_CONNECT, connection);
    channel.connect(server);
  }

  /** One connection: the request being written, and the answer being read. */
  private final class Connection {
    final SocketChannel channel;
    final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    final StringBuilder head = new StringBuilder();
    SelectionKey key;
    ByteBuffer out;
    boolean inFlight;
    boolean answered;
    long bodyLeft = -1;
    boolean closes;

    Connection(SocketChannel channel) {
      this.channel = channel;
    }

    void start(byte[] request) {
      out = ByteBuffer.wrap(request);
      inFlight = true;
      answered = false;
      key.interestOps(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
    }

    void write() throws IOException {
      channel.write(out);
      if (!out.hasRemaining()) {
        key.interestOps(SelectionKey.OP_READ);
        finishIfDone();
      }
    }

    void read() throws IOException {
      in.clear();
      int read = channel.read(in);
      if (read < 0) {
        throw new IOException("closed by the server");
      }
      in.flip();
      while (in.hasRemaining()) {
        if (bodyLeft < 0) {
          readHead();
        } else {
          int skip = (int) Math.min(bodyLeft, in.remaining());
          in.position(in.position() + skip);
          bodyLeft -= skip;
          if (bodyLeft == 0) {
            bodyLeft = -1;
            answered = true;
            finishIfDone();
          }
        }
      }
    }

    private void readHead() throws IOException {
      while (in.hasRemaining() && bodyLeft < 0) {
        head.append((char) (in.get() & 0xff));
        int length = head.length();
        if (length >= 4 && head.charAt(length - 1) == '\n' && head.charAt(length - 2) == '\r'
            && head.charAt(length - 3) == '\n' && head.charAt(length - 4) == '\r') {
          String text = head.toString();
          head.setLength(0);
          String[] lines = text.split("\r\n");
          statuses.merge(Integer.parseInt(lines[0].split(" ")[1]), 1L, Long::sum);
          long contentLength = 0;
          closes = false;
          for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
              contentLength = Long.parseLong(lower.substring(15).strip());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
              closes = true;
            }
          }
          bodyLeft = contentLength;
          if (bodyLeft == 0) {
            bodyLeft = -1;
            answered = true;
            finishIfDone();
          }
        }
      }
    }

    /** Once the answer is in and the request fully written, the next request, or a new connection. */
    private void finishIfDone() throws IOException {
      if (!answered || out.hasRemaining()) {
        return;
      }
      inFlight = false;
      if (closes) {
        throw new IOException("the server closes the connection after its answer");
      }
      start(nextRequest());
    }

    void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** A POST of a body to /invocations as JSON, with one more header line (or none). */
  static byte[] post(byte[] body, String header) {
    String head = "POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + (header == null ? "" : header + "\r\n") + "Content-Length: " + body.length + "\r\n\r\n";
    byte[] start = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[start.length + body.length];
    System.arraycopy(start, 0, request, 0, start.length);
    System.arraycopy(body, 0, request, start.length, body.length);
    return request;
  }
}
