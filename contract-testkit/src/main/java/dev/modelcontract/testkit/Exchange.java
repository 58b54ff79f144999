package dev.modelcontract.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One request and its {@link Answer}: how every client of the kit sends, so a missing answer reads the same. */
final class Exchange {

  private Exchange() {}

  /**
   * Sends a request and reads the whole answer.
   *
   * @throws UncheckedIOException when no answer came (naming the method and URI), or the wait was interrupted
   */
  static Answer send(HttpClient http, HttpRequest request) {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted", e));
    }
  }
}
