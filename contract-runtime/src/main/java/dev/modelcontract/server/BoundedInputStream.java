package dev.modelcontract.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads at most a given number of bytes, then fails: a body can never grow past the server's limit. */
final class BoundedInputStream extends FilterInputStream {

  /** Thrown when the body is larger than the limit. */
  static final class TooLarge extends IOException {
    TooLarge(long limit) {
      super("the body is larger than " + limit + " bytes");
    }
  }

  private final long limit;
  private long count;

  BoundedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(long n) throws TooLarge {
    count += n;
    if (count > limit) {
      throw new TooLarge(limit);
    }
  }
}
