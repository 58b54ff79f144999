package dev.modelcontract.server;

import dev.modelcontract.inference.ExampleModel;
import java.nio.charset.StandardCharsets;

/**
 * One fuzzed request: its bytes on the wire, what was done to make them (enough to find it again from the seed and
 * its number), and what its answer must be besides never a 5xx.
 *
 * @param headerMutation the class of the head's mutation, null where the head is as a client should send it
 * @param mustServe whether the request is valid as sent (a valid body, intact coding, a correct head): answered 200
 * @param head whether its method is HEAD, whose answer has no body
 * @param versionNotServed whether its HTTP version is not 1.x, which the server rightly answers 505
 */
record FuzzedRequest(long seed, int number, ExampleModel model, FuzzFormat format, String seedName,
    boolean bodyMutated, String coding, boolean chunked, HeaderMutation headerMutation, String headerDetail,
    byte[] bytes, boolean mustServe, boolean head, boolean versionNotServed) {

  /**
   * Sent after every request whose head is mutated, on the same connection: whatever the mutation left unread or
   * half-read becomes part of this request, which asks the server to close, so that every byte sent is answered or
   * refused and the connection ends (a mutation's framing lies by fewer bytes than this request has).
   */
  static final byte[] FOLLOWER = ("GET /execution-parameters HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
      .getBytes(StandardCharsets.ISO_8859_1);

  /** How many request bytes a failure shows. */
  private static final int SHOWN = 600;

  /** Whether it is sent on a connection of its own, followed by {@link #FOLLOWER}, and read until the server closes. */
  boolean alone() {
    return headerMutation != null;
  }

  /** Everything needed to send this request again: the seed, its number, what was done, its first bytes. */
  String describe() {
    StringBuilder text = new StringBuilder("seed ").append(Long.toHexString(seed)).append(" request #").append(number)
        .append(" (-Dfuzz.seed=").append(seed).append(" -Dfuzz.from=").append(number).append(" -Dfuzz.requests=1): ")
        .append(format).append(" to ").append(model.folder()).append(" from '").append(seedName)
        .append(bodyMutated ? "', mutated" : "', as is")
        .append(", coding ").append(coding).append(chunked ? ", chunked" : "");
    if (headerMutation != null) {
      text.append(", ").append(headerMutation).append(": ").append(headerDetail);
    }
    text.append("\n  request (").append(bytes.length).append(" bytes): ");
    for (int i = 0; i < Math.min(bytes.length, SHOWN); i++) {
      int b = bytes[i] & 0xFF;
      if (b == '\r') {
        text.append("\\r");
      } else if (b == '\n') {
        text.append("\\n");
      } else if (b == '\\') {
        text.append("\\\\");
      } else if (b >= 0x20 && b < 0x7F) {
        text.append((char) b);
      } else {
        text.append(String.format("\\x%02x", b));
      }
    }
    return text.append(bytes.length > SHOWN ? "..." : "").toString();
  }
}
