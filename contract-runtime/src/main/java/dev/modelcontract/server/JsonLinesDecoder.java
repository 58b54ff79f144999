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
   * The most lines one body may hold: each becomes a queued request, so lines are counted, not only bytes (a 6 MB
   * body of {@code {}} lines would be two million requests).
   */
  static final int MAX_LINES = 10_000;

  private final JsonTensorReader reader;
  private final long maxRequestBytes;

  JsonLinesDecoder(JsonTensorReader reader, long maxRequestBytes) {
    this.reader = reader;
    this.maxRequestBytes = maxRequestBytes;
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
        if (parts.size() == MAX_LINES) {
          throw new RequestRefused(ProblemType.PAYLOAD_TOO_LARGE.problem("the JSON Lines body has more than "
              + MAX_LINES + " lines; split it", "limit", MAX_LINES + " lines"));
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
