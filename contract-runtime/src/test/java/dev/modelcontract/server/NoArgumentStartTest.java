package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.inference.ExampleModel;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server's main started as KServe starts a container: no argument, the model and port named by the environment. */
class NoArgumentStartTest {

  @Test
  void aProcessStartedWithNoArgumentServesTheModelTheEnvironmentNamesOnKnativesPort() throws Exception {
    int port = ServerProcesses.freePort();
    ProcessBuilder start = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    start.environment().put("MODEL_CONTRACT_MODEL_DIR", ExampleModel.LSTM_TWO_INPUTS.modelDir().toString());
    start.environment().put("MODEL_CONTRACT_GOLDEN_DIR", ExampleModel.LSTM_TWO_INPUTS.goldenDir().toString());
    start.environment().put("MODEL_CONTRACT_MODEL_NAME", "lstm-two-inputs");
    start.environment().remove("SAGEMAKER_BIND_TO_PORT");
    start.environment().put("PORT", Integer.toString(port));
    start.environment().put("SAGEMAKER_MODEL_SERVER_WORKERS", "1");
    Process server = start.start();
    try {
      int status = ServerProcesses.awaitOk(server,
          URI.create("http://127.0.0.1:" + port + "/v2/models/lstm-two-inputs/ready"));

      assertThat(server.isAlive()).as("a process started with no argument keeps serving").isTrue();
      assertThat(status).isEqualTo(200);
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
