package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.validation.GoldenReplay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server replays the golden pairs at start and refuses to serve when the numbers differ. */
class GoldenSelfCheckTest {

  @TempDir
  Path golden;

  @Test
  void serverThatReproducesItsGoldenPairsBecomesReady() throws Exception {
    for (String name : new String[] {"batched", "single-step", "unbatched"}) {
      Files.copy(ExampleModel.LSTM_TWO_INPUTS.goldenDir().resolve(name + ".json"), golden.resolve(name + ".json"));
    }
    try (SageMakerServer server = SageMakerServer.start(config())) {
      server.loadModel();

      assertThat(server.isReady()).isTrue();
      assertThat(ping(server)).isEqualTo(200);
    }
  }

  @Test
  void oneWrongGoldenValueKeepsTheServerFromBecomingReadyAndNamesThePair() throws Exception {
    Files.copy(ExampleModel.LSTM_TWO_INPUTS.goldenDir().resolve("single-step.json"), golden.resolve("good.json"));
    Files.writeString(golden.resolve("wrong.json"), tamperedFirstOutput("batched"));

    try (SageMakerServer server = SageMakerServer.start(config())) {
      assertThatThrownBy(server::loadModel)
          .isInstanceOfSatisfying(GoldenPairsDiffer.class, differ -> {
            assertThat(differ.failures()).hasSize(1);
            assertThat(differ.failures().get(0).name()).startsWith("golden wrong (");
            assertThat(differ.failures().get(0).detail())
                .contains("output 'output_1': 1 of 3 values differ beyond tolerance 1.0e-05")
                .contains("expected 1000.5");
          })
          .hasMessageContaining("PASS golden good (")
          .hasMessageContaining("FAIL golden wrong (")
          .hasMessageContaining("2 checks, 1 failed")
          .hasMessageContaining("oneDNN kernels");
      assertThat(server.isReady()).isFalse();
      assertThat(ping(server)).isEqualTo(503);
    }
  }

  /** The example's pair with output_1's first value replaced by 1000.5. */
  private static String tamperedFirstOutput(String name) throws Exception {
    String json = Files.readString(ExampleModel.LSTM_TWO_INPUTS.goldenDir().resolve(name + ".json"));
    String replaced = json.replaceFirst("(?<head>\"output_1\"\\s*:\\s*\\[\\s*\\[?\\s*)-?[0-9.eE+-]+", "${head}1000.5");
    assertThat(replaced).as("the tampered pair").isNotEqualTo(json);
    return replaced;
  }

  private ServerConfig config() {
    return new ServerConfig(0, ExampleModel.LSTM_TWO_INPUTS.modelDir(), 1 << 20, 1, golden,
        GoldenReplay.DEFAULT_TOLERANCE);
  }

  private static int ping(SageMakerServer server) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ping")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
