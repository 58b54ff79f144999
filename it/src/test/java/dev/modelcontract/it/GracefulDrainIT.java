package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.testkit.SageMakerContainer;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.output.ToStringConsumer;

/**
 * SageMaker stops an endpoint's container with SIGTERM and kills it 30 s later. Under a steady stream of requests
 * the image must answer every request it read, let an upload in progress finish, turn /ping 503, refuse new
 * connections, and exit 0 in time. The clients talk to the container's own address, not a published port:
 * Docker's port proxy accepts connections even after the server closed its port, which would hide the refusal.
 *
 * <p>A connection the kernel completed in the port's backlog in the instant before the port closed is reset
 * without the server ever having read from it; the client sees its first request fail. That is a refused
 * connection, not a dropped request: it is counted apart and printed, not asserted (usually 0; one run saw all 16
 * clients reset on a fresh connection, cause not found). Dropped is any request on a connection the server had
 * already answered on, and the server's own count: every request it started reading was answered.
 */
class GracefulDrainIT {

  private static final String IMAGE = System.getProperty("example.image", "lstm-two-inputs:1.0.0");
  private static final Path EXAMPLE = Path.of(System.getProperty("examples.dir", "../examples"), "lstm-two-inputs");
  private static final int CLIENTS = 16;

  @Test
  void sigtermAnswersEveryRequestAlreadyReadAndExitsZero() throws Exception {
    byte[] body = GoldenCase.loadAll(EXAMPLE.resolve("golden")).get(0).requestBody();
    byte[] request = RawConnection.post("/invocations", body);
    ToStringConsumer log = new ToStringConsumer();
    try (SageMakerContainer container = new SageMakerContainer(IMAGE).withLogConsumer(log)) {
      container.start();
      String host = container.getContainerInfo().getNetworkSettings().getIpAddress();
      int port = SageMakerContainer.PORT;

      AtomicInteger answered = new AtomicInteger();
      AtomicInteger resetInBacklog = new AtomicInteger();
      ConcurrentLinkedQueue<String> dropped = new ConcurrentLinkedQueue<>();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 2);
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        running.add(clients.submit(() -> sendUntilRefused(host, port, request, answered, resetInBacklog, dropped)));
      }
      RawConnection upload = new RawConnection(host, port);
      int half = request.length - body.length / 2;
      upload.send(Arrays.copyOf(request, half));
      RawConnection pinger = new RawConnection(host, port);
      pinger.send(RawConnection.get("/ping"));
      assertThat(pinger.read().status()).isEqualTo(200);
      Future<RawConnection.Response> pingDuringDrain = clients.submit(() -> pingUntilNotReady(pinger));
      TimeUnit.SECONDS.sleep(2);
      int beforeSignal = answered.get();

      long signalled = System.nanoTime();
      DockerClientFactory.instance().client().killContainerCmd(container.getContainerId()).withSignal("TERM").exec();
      TimeUnit.MILLISECONDS.sleep(300);
      upload.send(Arrays.copyOfRange(request, half, request.length));
      RawConnection.Response uploaded = upload.read();
      for (Future<?> client : running) {
        client.get(30, TimeUnit.SECONDS);
      }
      Integer exitCode = DockerClientFactory.instance().client().waitContainerCmd(container.getContainerId())
          .start().awaitStatusCode(35, TimeUnit.SECONDS);
      long stoppedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
      clients.shutdownNow();

      System.out.printf("answered %d (%d before SIGTERM), %d connections reset in the port's backlog, dropped %d;"
          + " exit %d after %d ms%n", answered.get(), beforeSignal, resetInBacklog.get(), dropped.size(), exitCode,
          stoppedMillis);
      assertThat(dropped).as("requests sent on a served connection that closed without an answer").isEmpty();
      assertThat(beforeSignal).as("requests answered before SIGTERM").isGreaterThan(100);
      assertThat(uploaded.status()).as("the upload in progress at SIGTERM").isEqualTo(200);
      assertThat(uploaded.closes()).as("answers during the drain close their connection").isTrue();
      assertThat(pingDuringDrain.get().status()).isEqualTo(503);
      assertThat(pingDuringDrain.get().body()).contains("draining");
      assertThat(exitCode).isZero();
      assertThat(stoppedMillis).as("SIGTERM to exit, ms").isLessThan(30_000);
      assertThat(log.toUtf8String()).contains("every request read was answered");
      upload.close();
      pinger.close();
    }
  }

  /**
   * Sends request after request over keep-alive connections, reconnecting when the server closes one, until a
   * connection is refused. A request that was sent and then saw its connection close is dropped.
   */
  private static Void sendUntilRefused(String host, int port, byte[] request, AtomicInteger answered,
      AtomicInteger resetInBacklog, ConcurrentLinkedQueue<String> dropped) throws IOException {
    while (true) {
      RawConnection connection;
      try {
        connection = new RawConnection(host, port);
      } catch (ConnectException refused) {
        return null;
      }
      try (connection) {
        boolean open = true;
        for (int served = 0; open; served++) {
          connection.send(request);
          RawConnection.Response response;
          try {
            response = connection.read();
          } catch (IOException e) {
            if (served == 0) {
              resetInBacklog.incrementAndGet();
            } else {
              dropped.add(e.toString());
            }
            return null;
          }
          if (response.status() != 200) {
            dropped.add("status " + response.status() + ": " + response.body());
          }
          answered.incrementAndGet();
          open = !response.closes();
        }
      }
    }
  }

  private static RawConnection.Response pingUntilNotReady(RawConnection pinger) throws Exception {
    while (true) {
      pinger.send(RawConnection.get("/ping"));
      RawConnection.Response response = pinger.read();
      if (response.status() != 200) {
        return response;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
