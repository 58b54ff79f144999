package dev.modelcontract.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Stoplight Prism in proxy mode: forwards each request to the upstream server and checks the request and the
 * upstream's answer against an OpenAPI document, answering with what it found in the {@code sl-violations} header.
 * Without {@code --errors} it forwards whatever it finds, so the server answers every request itself.
 */
final class PrismProxy implements AutoCloseable {

  /** The header in which Prism lists the violations of one exchange, as JSON. */
  static final String VIOLATIONS = "sl-violations";

  private static final Duration START = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;
  private final URI endpoint;

  private PrismProxy(Process process, Path log, URI endpoint) {
    this.process = process;
    this.log = log;
    this.endpoint = endpoint;
  }

  /** Starts Prism in front of {@code upstream}, its output in {@code log}; returns once it listens. */
  static PrismProxy start(Path document, URI upstream, Path log) throws IOException, InterruptedException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Process process = NodeTools.command("prism", "proxy", document.toString(), upstream.toString(), "--host",
        "127.0.0.1", "--port", Integer.toString(port), "--multiprocess=false", "--errors=false")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrismProxy prism = new PrismProxy(process, log, URI.create("http://127.0.0.1:" + port));
    long deadline = System.nanoTime() + START.toNanos();
    while (!Files.readString(log).contains("Prism is listening")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        prism.close();
        throw new IllegalStateException("Prism did not start within " + START.toSeconds() + " s: "
            + Files.readString(log));
      }
      Thread.sleep(50);
    }
    return prism;
  }

  URI endpoint() {
    return endpoint;
  }

  /** What Prism printed: its log. */
  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
