package dev.modelcontract.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Servers started as real processes ({@code Main}): a free port to give one, and waiting for it to be ready. */
final class ServerProcesses {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private ServerProcesses() {}

  static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  /**
   * GETs the address every 100 ms until it answers 200, the process ends or a minute passes; the last status (0 while
   * nothing listens). A process, not a container: nothing like Testcontainers' wait strategies is at hand.
   */
  static int awaitOk(Process server, URI address) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(address).timeout(Duration.ofSeconds(2)).build();
    int status = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (status != 200 && server.isAlive() && System.nanoTime() < deadline) {
      try {
        status = CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException notListeningYet) {
        status = 0;
      }
      if (status != 200) {
        Thread.sleep(100);
      }
    }
    return status;
  }
}
