package dev.modelcontract.examples.forecast;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The caller's side of the lstm-two-inputs endpoint: candles in, a forecast out. This is the code a caller writes
 * and the contract's stub tests: which input each column goes to, in which order, and how the outputs are read.
 */
public final class ForecastClient {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String[] DIRECTIONS = {"down", "flat", "up"};

  private final URI invocations;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** @param endpoint the endpoint's base URI (SageMaker's runtime URL, or a local server) */
  public ForecastClient(URI endpoint) {
    this.invocations = endpoint.resolve("/invocations");
  }

  /**
   * Forecasts the period after a sequence of candles, oldest first.
   *
   * @throws ForecastRefused when the endpoint refuses the request, with its explanation
   */
  public Forecast forecast(List<Candle> candles) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode prices = body.putArray("input_1");   // open, low, high, close
    ArrayNode volumes = body.putArray("input_2");  // volume, spread
    for (Candle candle : candles) {
      prices.addArray().add(candle.open()).add(candle.low()).add(candle.high()).add(candle.close());
      volumes.addArray().add(candle.volume()).add(candle.spread());
    }
    HttpRequest request = HttpRequest.newBuilder(invocations).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
        .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    JsonNode answer = JSON.readTree(response.body());
    if (response.statusCode() != 200) {
      throw new ForecastRefused(response.statusCode(), answer.path("detail").asString(""));
    }
    JsonNode logits = answer.get("output_2");
    int best = 0;
    for (int i = 1; i < logits.size(); i++) {
      if (logits.get(i).asDouble() > logits.get(best).asDouble()) {
        best = i;
      }
    }
    return new Forecast(answer.get("output_1").get(0).asDouble(), DIRECTIONS[best]);
  }

  /** The endpoint refused a forecast request. */
  public static final class ForecastRefused extends IOException {

    private final int status;

    ForecastRefused(int status, String detail) {
      super("the endpoint refused the forecast (" + status + "): " + detail);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
