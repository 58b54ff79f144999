package dev.modelcontract.server;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What {@code GET /ping} answers in each state of the server: 200 once the model is loaded and has passed its checks,
 * 503 while it loads and once the server drains, each with {@code {"status": …}}.
 */
enum Health {
  READY(200),
  LOADING(503),
  DRAINING(503);

  private final int status;
  private final byte[] body;

  Health(int status) {
    this.status = status;
    this.body = ("{\"status\":\"" + word() + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  int status() {
    return status;
  }

  /** The value of {@code status} in the body, e.g. {@code ready}. */
  String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  Responses.Response response() {
    return new Responses.Response(status, MediaTypes.JSON, body);
  }
}
