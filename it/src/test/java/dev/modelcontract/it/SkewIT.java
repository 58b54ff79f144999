package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.testkit.SageMakerContainer;
import dev.modelcontract.validation.SampleRequests;
import dev.modelcontract.validation.SkewedRequests;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Skew on the examples' real images: where the contract only observes (two-args-dict), /metrics follows a stream
 * of requests drawn from the training statistics, then of already-normalized ones, then of volumes sent 1000× too
 * large; where it guards (lstm-two-inputs), each mistake is refused 422 input-skew with its diagnosis and leaves
 * no trace in the observed statistics, while requests drawn from training are served.
 */
class SkewIT {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SERIES = Pattern.compile(
      "^(modelcontract_input_skew_\\w+)\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
  private static final int ROWS = 8;
  private static final int STEPS = 20;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Random random = new Random(20261205);

  @Test
  void theMetricsFollowAStreamOfShiftedRequestsWhereTheContractObserves() throws Exception {
    ModelContract contract = contract("two-args-dict");
    try (SageMakerContainer container = new SageMakerContainer("two-args-dict:1.0.0")) {
      container.start();
      URI endpoint = container.getEndpoint();
      assertThat(gauge(endpoint, "values", "prices", "close")).as("nothing observed yet").isZero();

      for (int i = 0; i < 20; i++) {
        assertThat(post(endpoint, drawn(contract)).statusCode()).isEqualTo(200);
      }
      for (String feature : new String[] {"low", "high", "close"}) {
        assertThat(gauge(endpoint, "values", "prices", feature)).isEqualTo(20.0 * ROWS * STEPS);
        // 3,200 values drawn from N(mean, std): their mean lies within a few hundredths of a std of the training one
        assertThat(Math.abs(gauge(endpoint, "mean_shift", "prices", feature))).as(feature).isLessThan(0.1);
        assertThat(gauge(endpoint, "std_ratio", "prices", feature)).as(feature).isBetween(0.9, 1.1);
      }
      // volume is min-max scaled over [0, 50000] and drawn uniformly over it: none outside
      assertThat(gauge(endpoint, "outside_range_ratio", "volume", "volume")).isZero();

      // a caller who normalizes prices itself: close (mean 100, std 10) arrives at about -10 std
      for (int i = 0; i < 180; i++) {
        Map<String, Tensor> normalized = SkewedRequests.of(contract, SkewedRequests.Kind.ALREADY_NORMALIZED,
            drawn(contract)).orElseThrow().request();
        assertThat(post(endpoint, normalized).statusCode()).as("observed, not refused").isEqualTo(200);
      }
      double close = gauge(endpoint, "mean_shift", "prices", "close");
      // 9 in 10 values of the window are normalized ones at -10 std: the mean sits near -9
      assertThat(close).isBetween(-9.5, -8.5);
      assertThat(gauge(endpoint, "values", "prices", "close")).isEqualTo(200.0 * ROWS * STEPS);

      // volumes 1000× too large (kilo-units upstream): outside the training range
      for (int i = 0; i < 50; i++) {
        Map<String, Tensor> kilo = drawn(contract);
        kilo.put("volume", scale(kilo.get("volume")));
        assertThat(post(endpoint, kilo).statusCode()).isEqualTo(200);
      }
      // 50 of 250 requests carried volumes × 1000, all but the few below 50 outside [0, 50000]
      assertThat(gauge(endpoint, "outside_range_ratio", "volume", "volume")).isBetween(0.19, 0.2);
      assertThat(container.logTail(200)).as("nothing refused").doesNotContain("input-skew");
    }
  }

  @Test
  void eachMistakeIsRefusedByNameWhereTheContractGuardsAndLeavesNoTrace() throws Exception {
    ModelContract contract = contract("lstm-two-inputs");
    try (SageMakerContainer container = new SageMakerContainer("lstm-two-inputs:1.0.0")) {
      container.start();
      URI endpoint = container.getEndpoint();
      assertThat(post(endpoint, drawn(contract)).statusCode()).isEqualTo(200);

      for (SkewedRequests.Kind kind : SkewedRequests.Kind.values()) {
        SkewedRequests.Skewed skewed = SkewedRequests.of(contract, kind, drawn(contract)).orElseThrow();
        HttpResponse<String> answer = post(endpoint, skewed.request());

        assertThat(answer.statusCode()).as("%s: %s", skewed.description(), answer.body()).isEqualTo(422);
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("type").asString()).endsWith("/input-skew");
        assertThat(problem.get("input").asString()).isEqualTo(skewed.input());
        assertThat(problem.get("diagnosis").asString()).as(answer.body()).isEqualTo(kind.diagnosis());
        assertThat(problem.get("detail").asString()).contains(problem.get("feature").asString());
      }
      // prices in cents: close alone, 100× too large
      Map<String, Tensor> cents = drawn(contract);
      float[] prices = (float[]) cents.get("input_1").array();
      for (int i = 3; i < prices.length; i += 4) {
        prices[i] *= 100;
      }
      JsonNode problem = JSON.readTree(post(endpoint, cents).body());
      assertThat(problem.get("feature").asString()).isEqualTo("close");
      assertThat(problem.get("detail").asString()).contains("close (feature 3) looks 100× the training scale");

      assertThat(gauge(endpoint, "values", "input_1", "close")).as("only the one served request is observed")
          .isEqualTo((double) ROWS * STEPS);
      assertThat(post(endpoint, drawn(contract)).statusCode()).as("the server serves on").isEqualTo(200);
    }
  }

  private static ModelContract contract(String example) throws ContractException {
    return new ContractReader().read(EXAMPLES.resolve(example).resolve("model").resolve(ContractReader.FILE_NAME));
  }

  /** Every input drawn from the training statistics: {@value #ROWS} sequences of {@value #STEPS} steps. */
  private Map<String, Tensor> drawn(ModelContract contract) {
    Map<String, Tensor> request = new LinkedHashMap<>();
    for (InputSpec input : contract.inputs()) {
      long[] shape = SampleRequests.shapeOf(contract, input, SampleRequests.Sizes.TYPICAL);
      shape[0] = ROWS;
      shape[1] = STEPS;
      request.put(input.name(), SampleRequests.valueOf(input, shape, random));
    }
    return request;
  }

  private static Tensor scale(Tensor tensor) {
    float[] values = ((float[]) tensor.array()).clone();
    for (int i = 0; i < values.length; i++) {
      values[i] *= 1000;
    }
    return Tensor.of(tensor.shape(), values);
  }

  private HttpResponse<String> post(URI endpoint, Map<String, Tensor> request) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    new JsonTensorWriter().write(request, body);
    return http.send(HttpRequest.newBuilder(endpoint.resolve("/invocations"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** One skew gauge of /metrics, {@code modelcontract_input_skew_NAME{input, feature}}. */
  private double gauge(URI endpoint, String name, String input, String feature) throws Exception {
    String metrics = http.send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher series = SERIES.matcher(metrics);
    while (series.find()) {
      Map<String, String> labels = new HashMap<>();
      for (String label : series.group(2).split(",")) {
        String[] pair = label.split("=", 2);
        labels.put(pair[0], pair[1].replace("\"", ""));
      }
      if (series.group(1).equals("modelcontract_input_skew_" + name) && input.equals(labels.get("input"))
          && feature.equals(labels.get("feature"))) {
        return Double.parseDouble(series.group(3));
      }
    }
    throw new AssertionError("no modelcontract_input_skew_" + name + " for " + input + "/" + feature + " in:\n"
        + metrics);
  }
}
