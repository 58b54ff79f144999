package dev.modelcontract.server;

import dev.modelcontract.golden.GoldenCase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a loaded server through every path a request takes (ping, the golden requests, metrics), so a training
 * run records the classes serving needs. Used at image build time for the class-data-sharing archive.
 */
final class WarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  private WarmUp() {}

  /** Returns whether every request was answered as expected; the server is closed afterwards. */
  static boolean exercise(SageMakerServer server, Path goldenDirectory) {
    try (server) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String base = "http://127.0.0.1:" + server.port();
      List<GoldenCase> golden = GoldenCase.loadAll(goldenDirectory);
      int failed = status(http, HttpRequest.newBuilder(URI.create(base + Routes.PING)).build()) == 200 ? 0 : 1;
      for (GoldenCase pair : golden) {
        failed += status(http, HttpRequest.newBuilder(URI.create(base + Routes.INVOCATIONS))
            .header("Content-Type", MediaTypes.JSON)
            .POST(HttpRequest.BodyPublishers.ofByteArray(pair.requestBody())).build()) == 200 ? 0 : 1;
      }
      failed += status(http, HttpRequest.newBuilder(URI.create(base + Routes.METRICS)).build()) == 200 ? 0 : 1;
      LOG.info("warm-up: {} golden requests served, {} failed", golden.size(), failed);
      return failed == 0;
    } catch (IOException e) {
      LOG.error("warm-up failed: {}", e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int status(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
