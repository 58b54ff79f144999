package dev.modelcontract.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Ready once GET /ping answers 200, as SageMaker judges a container; failed as soon as the container exits (a
 * serving image stops at once when its contract, model or golden pairs fail its start checks), rather than when the
 * startup timeout runs out.
 */
final class PingOrExit extends AbstractWaitStrategy {

  private static final Duration POLL = Duration.ofMillis(100);

  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  PingOrExit(int port) {
    this.port = port;
  }

  @Override
  protected void waitUntilReady() {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    URI ping = null;
    while (System.nanoTime() < deadline) {
      if (!waitStrategyTarget.isRunning()) {
        Long exitCode = waitStrategyTarget.getCurrentContainerInfo().getState().getExitCodeLong();
        throw new ContainerLaunchException("the container exited with code " + exitCode + " before /ping answered"
            + " 200");
      }
      if (ping == null) {
        ping = URI.create("http://" + waitStrategyTarget.getHost() + ":" + waitStrategyTarget.getMappedPort(port)
            + "/ping");
      }
      if (answers200(http, ping)) {
        return;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ContainerLaunchException("interrupted while waiting for /ping", e);
      }
    }
    throw new ContainerLaunchException("/ping did not answer 200 within " + startupTimeout.toSeconds() + " s");
  }

  /** Whether GET /ping answers 200 within 2 s. */
  static boolean answers200(HttpClient http, URI ping) {
    try {
      HttpRequest request = HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(2)).GET().build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
