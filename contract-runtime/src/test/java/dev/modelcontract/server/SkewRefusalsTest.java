package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.CsvTensorWriter;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Npy;
import dev.modelcontract.tensors.Npz;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The three failure kinds ({@link SkewedRequests}), for every example with normalization, at one row or sequence
 * and batched, in every request format its contract takes: where the contract turns the skew guard on, each is a 422
 * input-skew naming the input the mistake was made on and diagnosing it; where it only observes, each is served.
 * Requests drawn from the training statistics are served everywhere, and so are they with one extreme value among
 * the others. One server per example serves every case.
 */
class SkewRefusalsTest {

  /** The draw every case starts from; what it gives at one house is stated where it matters. */
  private static final long SEED = 20261205;
  private static final int BATCH = 8;
  /** Steps of a sequence, for the examples with a T axis. */
  private static final int STEPS = 20;
  private static final String SKEW_TYPE = ProblemType.TYPE_BASE + "input-skew";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static final Map<ExampleModel, Served> SERVED = new LinkedHashMap<>();

  /** An example's server, its contract, and whether its contract refuses skew. */
  private record Served(ExampleModel example, SageMakerServer server, ModelContract contract, boolean guarded) {}

  /** One encoding of a request: where it goes, its type, its bytes. */
  private record Body(String format, String path, String contentType, byte[] bytes) {}

  @BeforeAll
  static void start() throws Exception {
    for (ExampleModel example : List.of(ExampleModel.HOUSE_PRICES, ExampleModel.LSTM_TWO_INPUTS,
        ExampleModel.TWO_ARGS_DICT)) {
      ModelContract contract = new ContractReader().read(example.modelDir().resolve(ContractReader.FILE_NAME));
      boolean guarded = contract.inputs().stream()
          .anyMatch(input -> input.skew().map(skew -> skew.refuse()).orElse(false));
      SERVED.put(example, new Served(example, TestServers.ready(TestServers.config(example, 1 << 20, 1)),
          contract, guarded));
    }
    // the examples as the task states them: two guard their inputs, two-args-dict only observes
    assertThat(SERVED.get(ExampleModel.HOUSE_PRICES).guarded()).isTrue();
    assertThat(SERVED.get(ExampleModel.LSTM_TWO_INPUTS).guarded()).isTrue();
    assertThat(SERVED.get(ExampleModel.TWO_ARGS_DICT).guarded()).isFalse();
  }

  @AfterAll
  static void stop() {
    SERVED.values().forEach(served -> served.server().close());
  }

  @Test
  void everyMistakeIsRefusedWithItsDiagnosisInEveryFormatWhereTheGuardIsOn() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    for (ExampleModel example : List.of(ExampleModel.HOUSE_PRICES, ExampleModel.LSTM_TWO_INPUTS)) {
      Served served = SERVED.get(example);
      for (int rows : new int[] {1, BATCH}) {
        Map<String, Tensor> drawn = draw(served.contract(), rows, new Random(SEED));
        for (SkewedRequests.Kind kind : SkewedRequests.Kind.values()) {
          SkewedRequests.Skewed skewed = SkewedRequests.of(served.contract(), kind, drawn).orElseThrow(
              () -> new AssertionError(example.folder() + " gives " + kind + " something to be made on"));
          for (Body body : bodies(served, skewed.request())) {
            String what = example.folder() + " rows " + rows + ", " + skewed.description() + ", " + body.format();
            HttpResponse<byte[]> response = post(served, body);
            if (example == ExampleModel.HOUSE_PRICES && rows == 1 && kind == SkewedRequests.Kind.ALREADY_NORMALIZED) {
              // The documented exception (docs/skew.md; measured in SkewCalibrationTest): one house normalized lies
              // about 2 std from training in every feature, as an unusual house can, and one value per feature is
              // judged by the limit alone, so it is served.
              softly.assertThat(response.statusCode()).as("%s: %s", what, text(response)).isEqualTo(200);
            } else {
              // At one house the swap of area_m2 and has_lift is judged by the limit alone (has_lift given the area
              // lies far beyond it) and, for this draw, diagnosed as the swap. About 3 % of single-house draws are
              // diagnosed "scaled" instead: aSingleHouseSwappedMayReadAsAnotherUnit.
              assertRefused(softly, what, response, skewed.input(), kind.diagnosis(), served.contract());
            }
          }
        }
      }
    }
    softly.assertAll();
  }

  @Test
  void everyMistakeIsServedWhereTheContractOnlyObserves() throws Exception {
    Served served = SERVED.get(ExampleModel.TWO_ARGS_DICT);
    SoftAssertions softly = new SoftAssertions();
    int sent = 0;
    for (int rows : new int[] {1, BATCH}) {
      Map<String, Tensor> drawn = draw(served.contract(), rows, new Random(SEED));
      // prices' low, high and close have like statistics, and volume is alone in its input: no swap would show
      assertThat(SkewedRequests.of(served.contract(), SkewedRequests.Kind.FEATURES_SWAPPED, drawn)).isEmpty();
      for (SkewedRequests.Kind kind : List.of(SkewedRequests.Kind.ALREADY_NORMALIZED, SkewedRequests.Kind.SCALED)) {
        SkewedRequests.Skewed skewed = SkewedRequests.of(served.contract(), kind, drawn).orElseThrow();
        for (Body body : bodies(served, skewed.request())) {
          HttpResponse<byte[]> response = post(served, body);
          softly.assertThat(response.statusCode()).as("rows %d, %s, %s: %s", rows, skewed.description(),
              body.format(), text(response)).isEqualTo(200);
          sent++;
        }
      }
    }
    softly.assertAll();
    assertThat(sent).as("requests sent").isGreaterThanOrEqualTo(2 * 2 * 7);
  }

  @Test
  void drawnRequestsAreServedInEveryFormat() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    for (Served served : SERVED.values()) {
      for (int rows : new int[] {1, BATCH}) {
        for (Body body : bodies(served, draw(served.contract(), rows, new Random(SEED)))) {
          HttpResponse<byte[]> response = post(served, body);
          softly.assertThat(response.statusCode()).as("%s rows %d, drawn, %s: %s", served.example().folder(), rows,
              body.format(), text(response)).isEqualTo(200);
        }
      }
    }
    softly.assertAll();
  }

  @Test
  void oneExtremeValueAmongTheOthersIsServed() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    for (Served served : SERVED.values()) {
      boolean sequences = served.example() != ExampleModel.HOUSE_PRICES;
      // batched, and (for sequences) one sequence of STEPS steps: each feature's median has other values to stand
      // on. A single house has one value per feature, which the limit alone judges; it is not among these cases.
      for (int rows : sequences ? new int[] {1, BATCH} : new int[] {BATCH}) {
        Map<String, Tensor> request = draw(served.contract(), rows, new Random(SEED));
        Tensor first = request.values().iterator().next();
        float[] values = (float[]) first.array();
        values[1] *= 1e6f; // the second feature of the first row (and step): area_m2, or low
        assertThat(Math.abs(values[1])).as("the extreme value").isGreaterThan(1e6f);
        for (Body body : bodies(served, request)) {
          HttpResponse<byte[]> response = post(served, body);
          softly.assertThat(response.statusCode()).as("%s rows %d, one value ×1e6, %s: %s",
              served.example().folder(), rows, body.format(), text(response)).isEqualTo(200);
        }
      }
    }
    softly.assertAll();
  }

  @Test
  void aSingleHouseSwappedMayReadAsAnotherUnit() throws Exception {
    // The swap exchanges area_m2 (mean 95, std 40) and has_lift (mean 0.5, std 0.5). Drawn with seed 56, this
    // house has area_m2 58.15 and has_lift -0.72 (a normal draw around 0.5); sent swapped, area_m2 reads -0.72 and
    // has_lift 58.15, 115 std out. Read as the swap, area_m2 is 58.15 (0.92 std below its mean) and has_lift -0.72
    // (2.44 std below): a misfit of 0.92^2 + 2.44^2 = 6.8. Read as has_lift sent 100× too large, has_lift is 0.58
    // (0.16 std) while area_m2 stays at -0.72 (2.39 std below): 0.16^2 + 2.39^2 = 5.7. The unit fits this house a
    // little better than the swap; one house cannot tell them apart, and is refused either way.
    Served served = SERVED.get(ExampleModel.HOUSE_PRICES);
    Map<String, Tensor> drawn = draw(served.contract(), 1, new Random(56));
    float[] house = (float[]) drawn.get("features").array();
    assertThat(house[1]).as("area_m2 drawn").isBetween(58.1f, 58.2f);
    assertThat(house[5]).as("has_lift drawn").isBetween(-0.73f, -0.71f);
    SkewedRequests.Skewed skewed = SkewedRequests.of(served.contract(), SkewedRequests.Kind.FEATURES_SWAPPED, drawn)
        .orElseThrow();
    assertThat(skewed.description()).isEqualTo("input 'features': area_m2 (feature 1) and has_lift (feature 5) swapped");

    SoftAssertions softly = new SoftAssertions();
    for (Body body : bodies(served, skewed.request())) {
      HttpResponse<byte[]> response = post(served, body);
      JsonNode problem = assertRefused(softly, "seed 56, " + body.format(), response, "features", "scaled",
          served.contract());
      if (problem != null) {
        softly.assertThat(problem.get("feature").asString()).as(body.format()).isEqualTo("has_lift");
        softly.assertThat(problem.get("detail").asString()).as(body.format())
            .contains("has_lift (feature 5) looks 100× the training scale");
      }
    }
    softly.assertAll();
  }

  /**
   * Asserts a 422 input-skew naming the input and diagnosis, its feature one of the input's; returns the problem,
   * or null where the answer is no problem at all.
   */
  private static JsonNode assertRefused(SoftAssertions softly, String what, HttpResponse<byte[]> response,
      String input, String diagnosis, ModelContract contract) {
    softly.assertThat(response.statusCode()).as("%s: %s", what, text(response)).isEqualTo(422);
    softly.assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue(Problem.MEDIA_TYPE);
    if (response.statusCode() != 422) {
      return null;
    }
    JsonNode problem = JSON.readTree(response.body());
    softly.assertThat(problem.path("type").asString()).as(what).isEqualTo(SKEW_TYPE);
    softly.assertThat(problem.path("input").asString()).as(what).isEqualTo(input);
    softly.assertThat(problem.path("diagnosis").asString()).as("%s: %s", what, problem.path("detail").asString())
        .isEqualTo(diagnosis);
    softly.assertThat(problem.path("feature").asString()).as(what).isIn(contract.inputs().stream()
        .filter(spec -> spec.name().equals(input)).findFirst().orElseThrow().features());
    softly.assertThat(problem.path("detail").asString()).as(what).contains("input '" + input + "'");
    return problem;
  }

  /**
   * A request drawn from the training statistics: {@code rows} rows of every input (of {@link #STEPS} steps where
   * it has a T axis), with a batch axis.
   */
  private static Map<String, Tensor> draw(ModelContract contract, int rows, Random random) {
    Map<String, Tensor> request = new LinkedHashMap<>();
    for (InputSpec input : contract.inputs()) {
      long[] shape = new long[input.shape().rank()];
      for (int axis = 0; axis < shape.length; axis++) {
        shape[axis] = input.shape().dim(axis) instanceof Dim.Fixed fixed ? fixed.size() : axis == 0 ? rows : STEPS;
      }
      request.put(input.name(), SampleRequests.valueOf(input, shape, random));
    }
    return request;
  }

  /**
   * The request in every format the contract takes ({@link MediaTypes#requestTypes}): of JSON every form (named,
   * wrapped in inputs, as instances, the Open Inference Protocol on /invocations and on its infer route); JSON Lines
   * as one line; .npz; .npy and CSV where the contract takes them. A request of one row is sent without its batch
   * axis wherever the format allows, and as a batch of one in named JSON, as one instance and as one CSV line.
   */
  private static List<Body> bodies(Served served, Map<String, Tensor> request) {
    boolean one = request.values().iterator().next().dim(0) == 1;
    Map<String, Tensor> sent = new LinkedHashMap<>();
    request.forEach((name, tensor) -> sent.put(name, one ? tensor.withoutFirstAxis() : tensor));
    List<Body> bodies = new ArrayList<>();
    List<String> types = MediaTypes.requestTypes(served.contract());
    assertThat(types).as("every contract takes JSON, JSON Lines and .npz")
        .contains(MediaTypes.JSON, MediaTypes.JSON_LINES, MediaTypes.NPZ);
    for (String type : types) {
      switch (type) {
        case MediaTypes.JSON -> {
          byte[] named = json(sent);
          bodies.add(new Body(one ? "JSON named, unbatched" : "JSON named", "/invocations", type, named));
          if (one) {
            bodies.add(new Body("JSON named, a batch of one", "/invocations", type, json(request)));
          }
          bodies.add(new Body("JSON inputs", "/invocations", type, concat("{\"inputs\": ", named, "}")));
          bodies.add(new Body("JSON instances", "/invocations", type, instances(request)));
          byte[] openInference = openInference(sent);
          bodies.add(new Body("Open Inference Protocol", "/invocations", type, openInference));
          bodies.add(new Body("Open Inference Protocol infer", "/v2/models/"
              + served.contract().defaultName() + "/infer", type, openInference));
        }
        case MediaTypes.JSON_LINES -> bodies.add(new Body("JSON Lines", "/invocations", type,
            concat("", json(sent), "\n")));
        case MediaTypes.NPZ -> {
          ByteArrayOutputStream npz = new ByteArrayOutputStream();
          Npz.write(sent, npz);
          bodies.add(new Body(".npz", "/invocations", type, npz.toByteArray()));
        }
        case MediaTypes.NPY -> bodies.add(new Body(".npy", "/invocations", type,
            Npy.toBytes(sent.values().iterator().next())));
        case MediaTypes.CSV -> {
          ByteArrayOutputStream csv = new ByteArrayOutputStream();
          new CsvTensorWriter().writeRows(request.values(), csv);
          bodies.add(new Body("CSV", "/invocations", type, csv.toByteArray()));
        }
        default -> fail("a request type this test cannot encode: " + type);
      }
    }
    return bodies;
  }

  private static byte[] json(Map<String, Tensor> tensors) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JsonTensorWriter().write(tensors, out);
    return out.toByteArray();
  }

  /** TensorFlow Serving's rows: one object per batch item, each without the batch axis. */
  private static byte[] instances(Map<String, Tensor> request) {
    long rows = request.values().iterator().next().dim(0);
    StringBuilder body = new StringBuilder("{\"instances\": [");
    for (int row = 0; row < rows; row++) {
      Map<String, Tensor> item = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> input : request.entrySet()) {
        item.put(input.getKey(), input.getValue().rows(row, row + 1).withoutFirstAxis());
      }
      body.append(row == 0 ? "" : ", ").append(new String(json(item), StandardCharsets.UTF_8));
    }
    return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The Open Inference Protocol's form: each input flat, with its shape and datatype. */
  private static byte[] openInference(Map<String, Tensor> tensors) {
    ObjectNode body = JSON.createObjectNode().put("id", "skew");
    ArrayNode inputs = body.putArray("inputs");
    tensors.forEach((name, tensor) -> {
      ObjectNode input = inputs.addObject().put("name", name).put("datatype", "FP32");
      ArrayNode shape = input.putArray("shape");
      for (long dim : tensor.shape()) {
        shape.add(dim);
      }
      ArrayNode data = input.putArray("data");
      for (float value : (float[]) tensor.array()) {
        data.add(value);
      }
    });
    return JSON.writeValueAsBytes(body);
  }

  private static byte[] concat(String before, byte[] middle, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static HttpResponse<byte[]> post(Served served, Body body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + served.server().port()
        + body.path())).timeout(Duration.ofSeconds(30)).header("Content-Type", body.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
