package dev.modelcontract.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Writing complete responses with a known length, so connections stay alive between requests. */
final class Responses {

  private Responses() {}

  /** A status, a Content-Type and the whole body. */
  record Response(int status, String contentType, byte[] body) {}

  static Response problem(Problem problem) {
    return new Response(problem.status(), Problem.MEDIA_TYPE, problem.toJson());
  }

  static void send(HttpExchange exchange, Response response) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
  }

  /** Best effort after a failure: the headers may already be gone. */
  static void trySend(HttpExchange exchange, Response response) {
    try {
      send(exchange, response);
    } catch (IOException | RuntimeException ignored) {
      // the client sees a closed connection; the failure itself is logged by the caller
    }
  }
}
