package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Npy;
import dev.modelcontract.tensors.Npz;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.testkit.SageMakerContainer;
import dev.modelcontract.validation.GoldenReplay;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every request format through the real images (built by the invoker runs of examples/house-prices and
 * examples/lstm-two-inputs), with the files numpy and np.savetxt wrote: each answered with its golden response,
 * in the answer type Accept asks for.
 */
class RequestFormatsIT {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void theOneInputModelTakesNumpyCsvAndEveryJsonFormAndAnswersInTheAcceptedType() throws Exception {
    Path example = EXAMPLES.resolve("house-prices");
    try (SageMakerContainer container = new SageMakerContainer("house-prices:1.0.0")) {
      container.start();
      URI invocations = container.getInvocationsUri();

      for (GoldenCase golden : GoldenCase.loadAll(example.resolve("golden"))) {
        String name = golden.name();
        for (String file : new String[] {name + ".npy", name + "-fortran.npy", name + "-big-endian.npy"}) {
          assertGolden(post(invocations, "application/x-npy", null, example, file), golden, file);
        }
        for (String file : new String[] {name + ".npz", name + "-compressed.npz"}) {
          assertGolden(post(invocations, "application/x-npz", null, example, file), golden, file);
        }
      }
      GoldenCase batched = GoldenCase.load(example.resolve("golden/batched.json"));
      assertGolden(post(invocations, "text/csv", null, example, "batched.csv"), batched, "batched.csv");

      JsonNode features = JSON.readTree(batched.requestBody()).get("features");
      ObjectNode inputs = JSON.createObjectNode();
      inputs.putObject("inputs").set("features", features);
      HttpResponse<byte[]> wrapped = post(invocations, "application/json", null, JSON.writeValueAsBytes(inputs));
      assertThat(wrapped.statusCode()).isEqualTo(200);
      byte[] outputs = JSON.writeValueAsBytes(JSON.readTree(wrapped.body()).get("outputs"));
      assertMatches(new JsonTensorReader().read(new ByteArrayInputStream(outputs)), batched, "{\"inputs\": …}");

      ObjectNode instances = JSON.createObjectNode();
      ArrayNode rows = instances.putArray("instances");
      features.forEach(row -> rows.addObject().set("features", row));
      HttpResponse<byte[]> predictions = post(invocations, "application/json", null, JSON.writeValueAsBytes(instances));
      assertThat(predictions.statusCode()).isEqualTo(200);
      JsonNode answered = JSON.readTree(predictions.body()).get("predictions");
      ArrayNode prices = JSON.createArrayNode();
      answered.forEach(row -> prices.add(row.get("price")));
      byte[] stacked = JSON.writeValueAsBytes(JSON.createObjectNode().set("price", prices));
      assertMatches(new JsonTensorReader().read(new ByteArrayInputStream(stacked)), batched, "{\"instances\": …}");

      HttpResponse<byte[]> npy = post(invocations, "text/csv", "application/x-npy", example, "batched.csv");
      assertThat(npy.headers().firstValue("Content-Type")).hasValue("application/x-npy");
      assertMatches(Map.of("price", Npy.read(npy.body(), 0, npy.body().length, "price", "", null)), batched, "npy");
      HttpResponse<byte[]> npz = post(invocations, "application/x-npy", "application/x-npz", example,
          "batched.npy");
      assertThat(npz.headers().firstValue("Content-Type")).hasValue("application/x-npz");
      assertMatches(Npz.read(npz.body(), 0, npz.body().length, Map.of(), 1 << 20), batched, "npz");

      HttpResponse<byte[]> float64 = post(invocations, "application/x-npy", null, example, "batched-float64.npy");
      assertThat(float64.statusCode()).isEqualTo(422);
      assertThat(JSON.readTree(float64.body()).get("input").asString()).isEqualTo("features");
    }
  }

  @Test
  void theTwoInputModelTakesNpzAndTheOpenInferenceProtocol() throws Exception {
    Path example = EXAMPLES.resolve("lstm-two-inputs");
    try (SageMakerContainer container = new SageMakerContainer("lstm-two-inputs:1.0.0")) {
      container.start();
      URI invocations = container.getInvocationsUri();

      for (GoldenCase golden : GoldenCase.loadAll(example.resolve("golden"))) {
        assertGolden(post(invocations, "application/x-npz", null, example, golden.name() + ".npz"), golden,
            golden.name() + ".npz");
      }
      GoldenCase batched = GoldenCase.load(example.resolve("golden/batched.json"));
      assertGolden(post(invocations, "application/x-npz", null, example, "batched-fortran.npz"), batched,
          "Fortran order, big-endian");

      JsonNode request = JSON.readTree(batched.requestBody());
      ObjectNode body = JSON.createObjectNode().put("id", "7");
      ArrayNode inputs = body.putArray("inputs");
      for (String name : new String[] {"input_1", "input_2"}) {
        JsonNode values = request.get(name);
        ObjectNode input = inputs.addObject().put("name", name);
        input.putArray("shape").add(values.size()).add(values.get(0).size()).add(values.get(0).get(0).size());
        input.put("datatype", "FP32").set("data", values); // nested data, as the shape says
      }
      HttpResponse<byte[]> answer = post(invocations, "application/json", null, JSON.writeValueAsBytes(body));
      assertThat(answer.statusCode()).isEqualTo(200);
      JsonNode oip = JSON.readTree(answer.body());
      assertThat(oip.get("id").asString()).isEqualTo("7");
      assertThat(oip.get("outputs").get(0).get("name").asString()).isEqualTo("output_1");
      assertThat(oip.get("outputs").get(0).get("shape").toString()).isEqualTo("[3,1]");
    }
  }

  private HttpResponse<byte[]> post(URI uri, String contentType, String accept, Path example, String file)
      throws Exception {
    return post(uri, contentType, accept, Files.readAllBytes(example.resolve("requests").resolve(file)));
  }

  private HttpResponse<byte[]> post(URI uri, String contentType, String accept, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void assertGolden(HttpResponse<byte[]> response, GoldenCase golden, String what) throws Exception {
    assertThat(response.statusCode()).as("%s: %s", what, new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    assertMatches(new JsonTensorReader().read(new ByteArrayInputStream(response.body())), golden, what);
  }

  private static void assertMatches(Map<String, Tensor> outputs, GoldenCase golden, String what) {
    assertThat(TensorComparison.differences(golden.response(), outputs, GoldenReplay.DEFAULT_TOLERANCE)).as(what)
        .isEmpty();
  }
}
