package dev.modelcontract.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** GET /ping: 200 once the model is loaded and has passed its self-check, 503 before. */
final class PingHandler implements HttpHandler {

  private static final byte[] READY = "{\"status\":\"ready\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LOADING = "{\"status\":\"loading\"}".getBytes(StandardCharsets.UTF_8);

  private final BooleanSupplier ready;

  PingHandler(BooleanSupplier ready) {
    this.ready = ready;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        Responses.send(exchange, Responses.problem(new Problem(405, "method-not-allowed", "Method not allowed",
            method + " is not served on /ping; send GET")));
        return;
      }
      boolean up = ready.getAsBoolean();
      Responses.send(exchange, new Responses.Response(up ? 200 : 503, MediaTypes.JSON, up ? READY : LOADING));
    }
  }
}
