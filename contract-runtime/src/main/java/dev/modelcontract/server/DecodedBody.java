package dev.modelcontract.server;

import dev.modelcontract.tensors.RequestBody;
import java.util.List;

/**
 * What one HTTP body decodes into: one request, or (JSON Lines) one per line, answered line for line, or (CSV
 * records in a MULTI_RECORD job) one per group of rows.
 *
 * @param parts the requests in body order
 * @param lines whether each part is a line of a JSON Lines body, answered with a JSON line of its own
 */
record DecodedBody(List<Part> parts, boolean lines) {

  /**
   * One request of a body.
   *
   * @param where its place in the body, prefixed to its problems: empty, or e.g. {@code "line 3: "}
   */
  record Part(RequestBody request, String where) {}

  static DecodedBody single(RequestBody request) {
    return new DecodedBody(List.of(new Part(request, "")), false);
  }
}
