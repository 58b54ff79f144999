package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.GoldenReplay;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Concurrent requests of one signature share forward passes, and every client still gets its own golden answer,
 * unbatched requests without the batch axis. With batching off, every request has a forward pass of its own.
 */
class DynamicBatchingTest {

  private static final int CLIENTS = 16;
  private static final int REQUESTS = 400;
  private static final Pattern PASSES = Pattern.compile("(?m)^modelcontract_batch_requests_count (\\S+)$");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void concurrentRequestsShareForwardPassesAndEachGetsItsGoldenAnswer() throws Exception {
    double passes = serveConcurrently(ServerConfig.Batching.DEFAULT);

    assertThat(passes).as("forward passes for %d requests", REQUESTS).isLessThan(REQUESTS);
  }

  @Test
  void withBatchingOffEveryRequestHasItsOwnForwardPass() throws Exception {
    double passes = serveConcurrently(ServerConfig.Batching.OFF);

    assertThat(passes).isEqualTo(REQUESTS);
  }

  /** Sends the golden requests from many clients at once, checks every answer; returns the forward passes. */
  private double serveConcurrently(ServerConfig.Batching batching) throws Exception {
    ExampleModel example = ExampleModel.LSTM_TWO_INPUTS;
    List<GoldenCase> golden = List.of(example.golden("unbatched"), example.golden("unbatched"),
        example.golden("batched"));
    try (SageMakerServer server = TestServers.ready(TestServers.config(example, 1 << 20, 1).withBatching(batching))) {
      URI invocations = URI.create("http://127.0.0.1:" + server.port() + "/invocations");
      JsonTensorReader reader = new JsonTensorReader();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<List<String>>> checks = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        GoldenCase pair = golden.get(i % golden.size());
        checks.add(clients.submit(() -> {
          HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(invocations)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(pair.requestBody())).build(),
              HttpResponse.BodyHandlers.ofByteArray());
          if (response.statusCode() != 200) {
            return List.of("status " + response.statusCode());
          }
          Map<String, Tensor> answer = reader.read(new ByteArrayInputStream(response.body()));
          return TensorComparison.differences(pair.response(), answer, GoldenReplay.DEFAULT_TOLERANCE);
        }));
      }
      for (Future<List<String>> check : checks) {
        assertThat(check.get()).isEmpty();
      }
      clients.shutdown();
      String metrics = new String(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
          + "/metrics")).build(), HttpResponse.BodyHandlers.ofByteArray()).body());
      Matcher passes = PASSES.matcher(metrics);
      assertThat(passes.find()).as("the batch size histogram in /metrics").isTrue();
      // the golden replay at start ran its pairs outside the queue: every pass counted here served a request
      return Double.parseDouble(passes.group(1));
    }
  }
}
