package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.SampleRequests;
import dev.modelcontract.validation.SkewedRequests;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The observed skew on GET /metrics, from a server of two-args-dict (observation only: nothing is refused): one
 * series per model, input and feature, near training for traffic drawn from it, far from it for already normalized
 * values, and outside the range for volume sent in another unit. Each test starts its own server, so that its
 * window (a minute, on the real clock) holds that test's traffic only; each test takes seconds, well within it.
 */
class SkewMetricsTest {

  private static final String MODEL = "two-args-dict";
  private static final String MEAN_SHIFT = "modelcontract_input_skew_mean_shift";
  private static final String STD_RATIO = "modelcontract_input_skew_std_ratio";
  private static final String OUTSIDE = "modelcontract_input_skew_outside_range_ratio";
  private static final String VALUES = "modelcontract_input_skew_values";
  private static final Pattern SAMPLE = Pattern.compile("(?m)^(modelcontract_input_skew_\\w+)\\{([^}]*)\\} (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  /** Requests per stream, each of 8 sequences of 20 steps: 3,200 values per feature. */
  private static final int REQUESTS = 20;
  private static final int ROWS = 8;
  private static final int STEPS = 20;
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static ModelContract contract;

  @BeforeAll
  static void readContract() throws Exception {
    contract = new ContractReader().read(ExampleModel.TWO_ARGS_DICT.modelDir().resolve(ContractReader.FILE_NAME));
    assertThat(contract.inputs().stream().allMatch(input -> input.skew().isPresent() && !input.skew().get().refuse()))
        .as("two-args-dict observes its inputs and refuses no skew").isTrue();
  }

  @Test
  void everyFeatureHasItsSeriesFromTheStartAndTrafficLikeTrainingReadsNearIt() throws Exception {
    try (SageMakerServer server = start()) {
      Map<String, Double> before = skew(server);

      for (String[] feature : features()) {
        String series = series(feature[0], feature[1]);
        for (String family : List.of(MEAN_SHIFT, STD_RATIO, VALUES)) {
          assertThat(before).as("%s%s", family, series).containsKey(family + series);
        }
        // The startup check's dry runs and golden pairs (over 4,000 values per feature, drawn at the largest sizes)
        // pass through the model before it serves, and are not observed: the window holds admitted traffic only.
        assertThat(before.get(VALUES + series)).as("%s before any request", series).isZero();
        assertThat(before.get(MEAN_SHIFT + series)).as("%s before any request", series).isNaN();
      }
      // outside the range is a share of values: NaN with none yet, for the one min-max feature; the standardized
      // features have no range and no series
      assertThat(before.keySet()).as("before any request").filteredOn(key -> key.startsWith(OUTSIDE))
          .containsExactly(OUTSIDE + series("volume", "volume"));
      assertThat(before.get(OUTSIDE + series("volume", "volume"))).isNaN();

      Random random = new Random(20261205);
      for (int i = 0; i < REQUESTS; i++) {
        assertThat(invoke(server, draw(random))).isEqualTo(200);
      }
      Map<String, Double> after = skew(server);

      for (String[] feature : features()) {
        String series = series(feature[0], feature[1]);
        assertThat(after.get(VALUES + series)).as(series).isEqualTo(REQUESTS * ROWS * STEPS);
        // With 3,200 values drawn from training, the mean's sampling error is 1/sqrt(3200) = 0.018 training std and
        // the std's about 1/sqrt(2 * 3200) = 0.013 of itself: 0.1 is more than five of either.
        assertThat(after.get(MEAN_SHIFT + series)).as("%s mean shift", series).isCloseTo(0, within(0.1));
        // Standardized features are normal: std ratio 1. Volume, min-max scaled, is uniform over its range: its std
        // is range / sqrt(12), in quarters of the range 4 / sqrt(12) = 1.155.
        double std = feature[0].equals("volume") ? 4 / Math.sqrt(12) : 1;
        assertThat(after.get(STD_RATIO + series)).as("%s std ratio", series).isCloseTo(std, within(0.1 * std));
      }
      assertThat(after).as("outside the range: min-max scaling (volume) only")
          .doesNotContainKeys(OUTSIDE + series("prices", "low"), OUTSIDE + series("prices", "high"),
              OUTSIDE + series("prices", "close"));
      assertThat(after.get(OUTSIDE + series("volume", "volume"))).as("volume drawn over its range").isZero();
    }
  }

  @Test
  void alreadyNormalizedTrafficMovesCloseTenStdBelowTraining() throws Exception {
    try (SageMakerServer server = start()) {
      Random random = new Random(20261205);
      for (int i = 0; i < REQUESTS; i++) {
        SkewedRequests.Skewed normalized = SkewedRequests.of(contract, SkewedRequests.Kind.ALREADY_NORMALIZED,
            draw(random)).orElseThrow();
        assertThat(invoke(server, normalized.request())).as("served: the contract only observes").isEqualTo(200);
      }
      Map<String, Double> skew = skew(server);

      // close: training mean 100, std 10. Sent normalized, a close is a normal draw around 0 of std 1, which the
      // server reads as (0 - 100) / 10 = -10 std from the mean, with a spread of 1 / 10 of training's (the
      // window's bounds, as in the test above: 0.1 on the mean, a tenth of the std).
      assertThat(skew.get(VALUES + series("prices", "close"))).isEqualTo(REQUESTS * ROWS * STEPS);
      assertThat(skew.get(MEAN_SHIFT + series("prices", "close"))).as("close mean shift").isLessThan(-5)
          .isCloseTo(-10, within(0.1));
      assertThat(skew.get(STD_RATIO + series("prices", "close"))).as("close std ratio").isCloseTo(0.1, within(0.01));
      // volume, min-max over [0, 50000]: sent as a share of the range, it lies at the range's bottom, -2 in
      // quarters of it (a uniform draw of [0, 1) read as 0 to 1 of 50,000), and never outside it
      assertThat(skew.get(MEAN_SHIFT + series("volume", "volume"))).isCloseTo(-2, within(0.001));
      assertThat(skew.get(OUTSIDE + series("volume", "volume"))).isZero();
    }
  }

  @Test
  void volumeInAThousandTimesItsUnitIsOutsideTheTrainingRange() throws Exception {
    try (SageMakerServer server = start()) {
      Random random = new Random(20261205);
      for (int i = 0; i < REQUESTS; i++) {
        assertThat(invoke(server, draw(random))).isEqualTo(200);
      }
      String volume = series("volume", "volume");
      assertThat(skew(server).get(OUTSIDE + volume)).as("drawn over the range").isZero();

      long outside = 0;
      for (int i = 0; i < REQUESTS; i++) {
        SkewedRequests.Skewed scaled = scaledVolume(draw(random));
        for (float value : (float[]) scaled.request().get("volume").array()) {
          outside += value > 50_000 ? 1 : 0;
        }
        assertThat(invoke(server, scaled.request())).isEqualTo(200);
      }
      Map<String, Double> skew = skew(server);

      double values = skew.get(VALUES + volume);
      assertThat(values).isEqualTo(2.0 * REQUESTS * ROWS * STEPS);
      // all but the volumes drawn below 50 (1 in 1000) lie outside once ×1000: half the window's values
      assertThat(outside).isGreaterThan(REQUESTS * ROWS * STEPS * 99 / 100);
      assertThat(skew.get(OUTSIDE + volume)).as("volume outside its range").isCloseTo(outside / values,
          within(1e-9)).isGreaterThan(0.45);
    }
  }

  /** The request with its volume (not its prices) sent {@value SkewedRequests#SCALE} times larger. */
  private static SkewedRequests.Skewed scaledVolume(Map<String, Tensor> request) {
    Map<String, Tensor> volumeOnly = new LinkedHashMap<>();
    volumeOnly.put("volume", request.get("volume"));
    // SkewedRequests scales the first input with statistics it is given: here volume alone
    SkewedRequests.Skewed scaled = SkewedRequests.of(contract, SkewedRequests.Kind.SCALED, volumeOnly)
        .orElseThrow();
    assertThat(scaled.input()).isEqualTo("volume");
    Map<String, Tensor> whole = new LinkedHashMap<>(request);
    whole.put("volume", scaled.request().get("volume"));
    return new SkewedRequests.Skewed(scaled.kind(), "volume", whole, scaled.description());
  }

  private static SageMakerServer start() throws Exception {
    return TestServers.ready(TestServers.config(ExampleModel.TWO_ARGS_DICT, 1 << 20, 1).withModelName(MODEL));
  }

  /** Every input's features, as {input, feature}, from the contract. */
  private static List<String[]> features() {
    List<String[]> features = new java.util.ArrayList<>();
    for (InputSpec input : contract.inputs()) {
      input.features().forEach(feature -> features.add(new String[] {input.name(), feature}));
    }
    assertThat(features).extracting(feature -> feature[1]).containsExactly("low", "high", "close", "volume");
    return features;
  }

  private static String series(String input, String feature) {
    return "{model=" + MODEL + ",input=" + input + ",feature=" + feature + "}";
  }

  /** Every skew sample of GET /metrics, keyed by its name and its labels in a fixed order. */
  private static Map<String, Double> skew(SageMakerServer server) throws Exception {
    HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(uri(server, "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Double> samples = new HashMap<>();
    Matcher sample = SAMPLE.matcher(response.body());
    while (sample.find()) {
      Map<String, String> labels = new HashMap<>();
      Matcher label = LABEL.matcher(sample.group(2));
      while (label.find()) {
        labels.put(label.group(1), label.group(2));
      }
      assertThat(labels.keySet()).as(sample.group()).containsExactlyInAnyOrder("model", "input", "feature");
      String key = sample.group(1) + "{model=" + labels.get("model") + ",input=" + labels.get("input") + ",feature="
          + labels.get("feature") + "}";
      assertThat(samples.put(key, Double.parseDouble(sample.group(3)))).as("one sample of %s", key).isNull();
    }
    return samples;
  }

  /** A request drawn from the training statistics: {@link #ROWS} sequences of {@link #STEPS} steps. */
  private static Map<String, Tensor> draw(Random random) {
    Map<String, Tensor> request = new LinkedHashMap<>();
    for (InputSpec input : contract.inputs()) {
      long features = input.features().size();
      request.put(input.name(), SampleRequests.valueOf(input, new long[] {ROWS, STEPS, features}, random));
    }
    return request;
  }

  private static int invoke(SageMakerServer server, Map<String, Tensor> request) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    new JsonTensorWriter().write(request, body);
    HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(uri(server, "/invocations"))
        .header("Content-Type", MediaTypes.JSON).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
        .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.statusCode();
  }

  private static URI uri(SageMakerServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
