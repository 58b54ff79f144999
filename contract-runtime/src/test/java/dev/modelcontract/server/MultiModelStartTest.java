package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ExampleModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's main started as SageMaker starts a multi-model endpoint's container: SAGEMAKER_MULTI_MODEL=true. */
class MultiModelStartTest {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  @TempDir
  Path models;

  @Test
  void aProcessStartedAsAMultiModelEndpointPingsWithNoModelThenLoadsAndServesOne() throws Exception {
    int port = ServerProcesses.freePort();
    Path directory = models.resolve("houses/model");
    Files.createDirectories(directory.resolve(GoldenCase.FOLDER));
    for (String file : new String[] {"model.pt", "model-contract.yaml"}) {
      Files.copy(ExampleModel.HOUSE_PRICES.modelDir().resolve(file), directory.resolve(file));
    }
    Files.copy(ExampleModel.HOUSE_PRICES.goldenDir().resolve("unbatched.json"),
        directory.resolve(GoldenCase.FOLDER).resolve("unbatched.json"));
    Process server = start(port, null);
    try {
      assertThat(ServerProcesses.awaitOk(server, uri(port, "/ping"))).isEqualTo(200);

      String load = "{\"model_name\": \"houses\", \"url\": \"" + directory + "\"}";
      HttpResponse<String> loaded = CLIENT.send(HttpRequest.newBuilder(uri(port, "/models"))
          .POST(HttpRequest.BodyPublishers.ofString(load)).build(), HttpResponse.BodyHandlers.ofString());
      GoldenCase golden = ExampleModel.HOUSE_PRICES.golden("unbatched");
      HttpResponse<String> invoked = CLIENT.send(HttpRequest.newBuilder(uri(port, "/models/houses/invoke"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
          golden.requestBody())).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
      assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
      assertThat(server.isAlive()).as("a multi-model endpoint keeps serving with main returned").isTrue();
      // models come and go in one process whose kernels are fixed at its start: it stays capped, whatever the CPU
      assertThat(CLIENT.send(HttpRequest.newBuilder(uri(port, "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body())
          .contains("modelcontract_cpu_kernels_info{basis=\"multi-model\",onednn_max_isa=\"AVX2\"} 1");
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aModelsMemoryBudgetThatIsNotANumberStopsTheStartWithCode2() throws Exception {
    Process server = start(ServerProcesses.freePort(), "lots");

    assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(server.exitValue()).isEqualTo(2);
  }

  private Process start(int port, String budget) throws IOException {
    ProcessBuilder start = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    start.environment().put("SAGEMAKER_MULTI_MODEL", "true");
    start.environment().put("MODEL_CONTRACT_MODEL_DIR", models.resolve("none").toString());
    start.environment().put("SAGEMAKER_BIND_TO_PORT", Integer.toString(port));
    start.environment().put("SAGEMAKER_MODEL_SERVER_WORKERS", "1");
    if (budget != null) {
      start.environment().put("MODEL_CONTRACT_MODELS_MEMORY_BYTES", budget);
    }
    return start.start();
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
