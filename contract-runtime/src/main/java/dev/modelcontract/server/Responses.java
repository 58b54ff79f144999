package dev.modelcontract.server;

import java.util.LinkedHashMap;
import java.util.Map;

/** Complete responses: a status, a Content-Type, the whole body, and any further headers. */
final class Responses {

  private Responses() {}

  /**
   * @param problem what was refused, for the log; null for successful responses
   */
  record Response(int status, String contentType, byte[] body, Map<String, String> headers, Problem problem) {

    Response(int status, String contentType, byte[] body) {
      this(status, contentType, body, Map.of(), null);
    }

    Response {
      headers = Map.copyOf(headers);
    }

    /** The same response with one more header. */
    Response withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Response(status, contentType, body, more, problem);
    }
  }

  static Response problem(Problem problem) {
    return new Response(problem.status(), Problem.MEDIA_TYPE, problem.toJson(), Map.of(), problem);
  }
}
