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

  /**
   * A response on an Open Inference Protocol route: a problem gains the protocol's {@code error} member (its
   * detail), which that protocol's clients read, and stays an RFC 9457 problem for everyone else; other responses are
   * unchanged.
   */
  static Response openInference(Response response) {
    Problem problem = response.problem();
    if (problem == null || problem.extensions().containsKey(OPEN_INFERENCE_ERROR)) {
      return response;
    }
    Problem withError = problem.withMember(OPEN_INFERENCE_ERROR, problem.detail());
    return new Response(response.status(), Problem.MEDIA_TYPE, withError.toJson(), response.headers(), withError);
  }

  /** The member the Open Inference Protocol's errors carry their message in: {@code {"error": "..."}}. */
  static final String OPEN_INFERENCE_ERROR = "error";
}
