package dev.modelcontract.server;

import dev.modelcontract.tensors.JsonTensorReader;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code application/jsonlines}: one JSON request per non-blank line (SageMaker batch transform's
 * {@code SplitType=Line}), each read like a whole JSON body; a problem names its line.
 */
final class JsonLinesDecoder implements BodyDecoder {

  /**
   * The most lines one body may hold at any body limit: each becomes a queued request, so lines are counted, not
   * only bytes (a 6 MB body of {@code {}} lines would be two million requests).
   */
  static final int MAX_LINES = 10_000;

  /**
   * The body bytes that allow one line more than {@link #MAX_LINES}: a line's request, its answer and their
   * bookkeeping take well under a KiB of heap, so the lines of a body never cost more than its bytes, which the
   * in-flight body budget counts thrice.
   */
  static final int BYTES_PER_LINE = 1024;

  private final JsonTensorReader reader;
  private final long maxRequestBytes;
  private final int maxLines;

  JsonLinesDecoder(JsonTensorReader reader, long maxRequestBytes) {
    this.reader = reader;
    this.maxRequestBytes = maxRequestBytes;
    this.maxLines = maxLines(maxRequestBytes);
  }

  /**
   * The most lines a body may hold under a body limit: {@link #MAX_LINES}, or one per KiB of a larger limit (a
   * batch transform job's 100 MiB bodies may hold 102,400 records).
   */
  static int maxLines(long maxRequestBytes) {
    return (int) Math.max(MAX_LINES, Math.min(Integer.MAX_VALUE, maxRequestBytes / BYTES_PER_LINE));
  }

  @Override
  public DecodedBody decode(byte[] body) throws RequestRefused {
    List<DecodedBody.Part> parts = new ArrayList<>();
    int number = 0;
    for (int start = 0; start < body.length; ) {
      int end = start;
      while (end < body.length && body[end] != '\n') {
        end++;
      }
      number++;
      if (!isBlank(body, start, end)) {
        if (parts.size() == maxLines) {
          throw new RequestRefused(ProblemType.PAYLOAD_TOO_LARGE.problem("the JSON Lines body has more than "
              + maxLines + " lines; split it (a batch transform job: a smaller MaxPayloadInMB)", "limit",
              maxLines + " lines"));
        }
        String where = "line " + number + ": ";
        parts.add(new DecodedBody.Part(BodyFormats.readJson(reader, body, start, end - start, where,
            maxRequestBytes), where));
      }
      start = end + 1;
    }
    if (parts.isEmpty()) {
      throw new RequestRefused(ProblemType.MALFORMED_BODY.problem("the JSON Lines body holds no line"));
    }
    return new DecodedBody(parts, true);
  }

  private static boolean isBlank(byte[] body, int start, int end) {
    for (int i = start; i < end; i++) {
      if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r') {
        return false;
      }
    }
    return true;
  }
}
