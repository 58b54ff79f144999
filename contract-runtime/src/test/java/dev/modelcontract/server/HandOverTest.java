package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.inference.ExampleModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The port handed on in process, the successor standing in for the exec ({@link KernelSwitch}): a request in progress
 * is answered first (with Connection: close), a connection that arrives meanwhile waits in the backlog rather than
 * being refused, the successor gets the listening socket's descriptor, and where it fails the server accepts again
 * and answers the waiting connection; a server that drains hands nothing on.
 */
class HandOverTest {

  private static final ExampleModel EXAMPLE = ExampleModel.LSTM_TWO_INPUTS;

  @Test
  void aRequestInProgressIsAnsweredFirstAndAConnectionArrivingMeanwhileWaitsForWhoeverServesNext() throws Exception {
    SageMakerServer server = TestServers.ready(TestServers.config(EXAMPLE, 1 << 20, 1));
    int port = server.port();
    byte[] request = RawHttp.invocation(EXAMPLE.golden("unbatched").requestBody());
    AtomicReference<String> descriptor = new AtomicReference<>();
    CompletableFuture<Void> successorCalled = new CompletableFuture<>();
    CompletableFuture<Void> successorMayReturn = new CompletableFuture<>();
    try (RawHttp upload = RawHttp.connect(port)) {
      int half = request.length - 100;
      upload.send(Arrays.copyOf(request, half));
      Thread.sleep(100); // the head is read: a request in progress

      CompletableFuture<String> handedOver = CompletableFuture.supplyAsync(() -> server.handOver(
          Duration.ofSeconds(10), listening -> {
            descriptor.set(readLink(listening));
            successorCalled.complete(null);
            successorMayReturn.join();
            return "no exec in this test";
          }));
      while (!server.closesConnections()) {
        Thread.onSpinWait();
      }
      Thread.sleep(100); // the port no longer accepts

      try (RawHttp waiting = RawHttp.connect(port, 30_000)) {
        waiting.send(RawHttp.get("/ping"));
        upload.send(Arrays.copyOfRange(request, half, request.length));
        RawHttp.Response answer = upload.read();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Connection")).isEqualTo("close");

        successorCalled.get(10, TimeUnit.SECONDS);
        assertThat(descriptor.get()).as("the successor's descriptor").startsWith("socket:[");
        assertThat(handedOver).isNotDone();
        successorMayReturn.complete(null);
        assertThat(handedOver.get(10, TimeUnit.SECONDS)).isEqualTo("no exec in this test");

        // the connection that came meanwhile, neither refused nor lost, is answered once the server accepts again
        RawHttp.Response ping = waiting.read();
        assertThat(ping.status()).isEqualTo(200);
        assertThat(server.closesConnections()).isFalse();
      }
    } finally {
      server.close();
    }
  }

  @Test
  void aServerThatDrainsHandsNothingOn() throws Exception {
    SageMakerServer server = TestServers.ready(TestServers.config(EXAMPLE, 1 << 20, 1));
    assertThat(server.drain(Duration.ofSeconds(5))).isTrue();

    assertThat(server.handOver(Duration.ofSeconds(5), listening -> {
      throw new AssertionError("no successor for a server that stopped");
    })).isEqualTo("the server is stopping");
  }

  private static String readLink(int descriptor) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/fd/" + descriptor)).toString();
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
