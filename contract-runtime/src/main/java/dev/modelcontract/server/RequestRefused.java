package dev.modelcontract.server;

import java.util.LinkedHashMap;
import java.util.Map;

/** A request the server refuses, with the problem it answers and any headers that go with it. */
final class RequestRefused extends Exception {

  private final transient Problem problem;
  private final Map<String, String> headers;

  RequestRefused(Problem problem) {
    this(problem, Map.of());
  }

  private RequestRefused(Problem problem, Map<String, String> headers) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
    this.headers = headers;
  }

  /** The same refusal with one more header on its answer, e.g. {@code Retry-After}. */
  RequestRefused withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new RequestRefused(problem, more);
  }

  Responses.Response response() {
    Responses.Response response = Responses.problem(problem);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      response = response.withHeader(header.getKey(), header.getValue());
    }
    return response;
  }
}
