package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.testkit.SageMakerContainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Memory stays bounded under sustained load: two 60 s runs at 64 connections, mixing good and refused requests,
 * and the server's resident size after the second run is no larger than after the first (give or take what a
 * JVM's heap settles by). A leak per request would show as growth between the runs.
 */
class MemoryBoundIT {

  private static final String IMAGE = System.getProperty("example.image", "lstm-two-inputs:1.0.0");
  private static final Path EXAMPLE = Path.of(System.getProperty("examples.dir", "../examples"), "lstm-two-inputs");
  private static final int CONNECTIONS = 64;
  private static final long RUN_SECONDS = 60;

  @Test
  void residentSizeDoesNotGrowBetweenTwoMinuteLongRunsAtSixtyFourConnections() throws Exception {
    byte[] good = RawConnection.post("/invocations", GoldenCase.loadAll(EXAMPLE.resolve("golden")).get(0)
        .requestBody());
    byte[] bad = RawConnection.post("/invocations", "{\"input_1\": [[1, 2, 3]]}".getBytes());
    try (SageMakerContainer container = new SageMakerContainer(IMAGE)) {
      container.start();
      String host = container.getContainerInfo().getNetworkSettings().getIpAddress();

      long[] first = load(host, good, bad);
      long afterFirst = residentKiB(container);
      long[] second = load(host, good, bad);
      long afterSecond = residentKiB(container);

      System.out.printf("run 1: %d answered, %d failed, RSS %d KiB; run 2: %d answered, %d failed, RSS %d KiB%n",
          first[0], first[1], afterFirst, second[0], second[1], afterSecond);
      assertThat(first[1]).as("failed requests, run 1").isZero();
      assertThat(second[1]).as("failed requests, run 2").isZero();
      assertThat(second[0]).as("answered in run 2").isGreaterThan(10_000);
      assertThat(afterSecond).as("resident KiB after run 2 (after run 1: %d)", afterFirst)
          .isLessThanOrEqualTo(afterFirst + afterFirst / 20);
    }
  }

  /** Answered and failed requests (anything but 200 for good and 422 for bad ones, or a broken connection). */
  private static long[] load(String host, byte[] good, byte[] bad) throws Exception {
    AtomicLong answered = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(RUN_SECONDS);
    ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      running.add(clients.submit(() -> {
        try (RawConnection connection = new RawConnection(host, SageMakerContainer.PORT)) {
          for (long n = 0; System.nanoTime() < end; n++) {
            boolean refused = n % 8 == 7;
            connection.send(refused ? bad : good);
            int status = connection.read().status();
            (status == (refused ? 422 : 200) ? answered : failed).incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> client : running) {
      client.get(RUN_SECONDS + 30, TimeUnit.SECONDS);
    }
    clients.shutdown();
    return new long[] {answered.get(), failed.get()};
  }

  private static long residentKiB(SageMakerContainer container) throws Exception {
    return Long.parseLong(ImageShell.serverStatus(container, "VmRSS").replaceAll("[^0-9]", ""));
  }
}
