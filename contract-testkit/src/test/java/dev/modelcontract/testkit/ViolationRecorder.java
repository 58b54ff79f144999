package dev.modelcontract.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A front to {@link PrismProxy} that keeps every exchange: the request as the client sent it, the answer, and the
 * violations Prism found in the request and in the upstream's answer (its {@code sl-violations} header). Clients send
 * to it as they would to the server, one request at a time.
 */
final class ViolationRecorder implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** Request headers passed on: those a SageMaker caller may send (the HTTP client sets the rest itself). */
  private static final Set<String> PASSED_ON = Set.of("content-type", "accept", "content-encoding",
      "x-amzn-sagemaker-custom-attributes");

  /** What Prism found wrong, where: {@code request.body.input_1.0} or {@code response}. */
  record Violation(String location, String message) {

    boolean inRequest() {
      return location.startsWith("request");
    }
  }

  /**
   * One request and its answer.
   *
   * @param answeredByPrism whether Prism answered the request itself instead of forwarding it
   */
  record Exchange(String method, String path, String contentType, byte[] body, int status, String answer,
      List<Violation> violations, boolean answeredByPrism) {

    List<Violation> requestViolations() {
      return violations.stream().filter(Violation::inRequest).toList();
    }

    List<Violation> responseViolations() {
      return violations.stream().filter(violation -> !violation.inRequest()).toList();
    }

    @Override
    public String toString() {
      return method + " " + path + " (" + contentType + ", " + body.length + " bytes) -> " + status + ": "
          + (answer.length() > 300 ? answer.substring(0, 300) + "..." : answer);
    }
  }

  private final HttpServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI target;
  private final List<Exchange> exchanges = new ArrayList<>();

  private ViolationRecorder(URI target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::forward);
    server.start();
  }

  /** A recorder in front of Prism. */
  static ViolationRecorder inFrontOf(PrismProxy prism) throws IOException {
    return new ViolationRecorder(prism.endpoint());
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every exchange so far, in order. */
  synchronized List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod();
      HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getRawPath()))
          .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (PASSED_ON.contains(name.toLowerCase())) {
          values.forEach(value -> request.header(name, value));
        }
      });
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      String answer = new String(response.body(), StandardCharsets.UTF_8);
      synchronized (this) {
        exchanges.add(new Exchange(method, exchange.getRequestURI().getRawPath(),
            exchange.getRequestHeaders().getFirst("Content-Type"), body, response.statusCode(), answer,
            violations(response.headers().firstValue(PrismProxy.VIOLATIONS).orElse("[]")), answeredByPrism(answer)));
      }
      response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders()
          .set("Content-Type", type));
      boolean head = "HEAD".equals(method);
      exchange.sendResponseHeaders(response.statusCode(), head || response.body().length == 0 ? -1
          : response.body().length);
      if (!head) {
        exchange.getResponseBody().write(response.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static List<Violation> violations(String header) {
    try {
      List<Violation> violations = new ArrayList<>();
      for (JsonNode violation : JSON.readTree(header)) {
        List<String> location = new ArrayList<>();
        violation.path("location").forEach(part -> location.add(part.asString()));
        violations.add(new Violation(String.join(".", location), violation.path("message").asString()));
      }
      return violations;
    } catch (JacksonException e) {
      // Prism cuts a long list short ("Too many violations! [..."): one violation for each side it names
      List<Violation> cut = new ArrayList<>();
      for (String side : List.of("request", "response")) {
        if (header.contains("\"" + side + "\"")) {
          cut.add(new Violation(side, header));
        }
      }
      return cut;
    }
  }

  /**
   * Prism's own refusals: a JSON body it cannot parse (micri's {@code {"error": …}}), or one of its problem types.
   */
  private static boolean answeredByPrism(String answer) {
    return answer.startsWith("{\"error\":") || answer.contains("\"type\":\"https://stoplight.io/prism/errors#");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
