package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.inference.ExampleModel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What SIGTERM does, in process: the port refuses before anything says draining; started requests finish. */
class DrainTest {

  @Test
  void onceDrainingThePortRefusesAndARequestInProgressIsAnsweredThenTheDrainEnds() throws Exception {
    ExampleModel example = ExampleModel.LSTM_TWO_INPUTS;
    SageMakerServer server = TestServers.ready(TestServers.config(example, 1 << 20, 1));
    int port = server.port();
    byte[] request = RawHttp.invocation(example.golden("unbatched").requestBody());
    try (RawHttp upload = RawHttp.connect(port)) {
      int half = request.length - 100;
      upload.send(Arrays.copyOf(request, half));
      Thread.sleep(100); // the head is read: a request in progress

      CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> server.drain(Duration.ofSeconds(10)));
      while (!server.isDraining()) {
        Thread.onSpinWait();
      }

      assertThatThrownBy(() -> {
        try (Socket late = new Socket()) {
          late.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
      }).as("a connection once /ping answers draining").isInstanceOf(ConnectException.class);
      upload.send(Arrays.copyOfRange(request, half, request.length));
      RawHttp.Response answer = upload.read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.header("Connection")).isEqualTo("close");
      assertThat(drained.get(10, TimeUnit.SECONDS)).as("every request read was answered").isTrue();
    }
  }
}
