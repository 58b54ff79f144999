package dev.modelcontract.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * A container registry on 127.0.0.1: Debian's {@code docker-registry} (the CNCF distribution server, the Registry v2
 * API that ECR speaks too), storing into a temporary folder. {@code bin/test} installs it.
 */
final class LocalRegistry implements AutoCloseable {

  private final Process process;
  private final Path storage;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private LocalRegistry(Process process, Path storage, int port) {
    this.process = process;
    this.storage = storage;
    this.port = port;
  }

  static LocalRegistry start(Path folder) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path storage = Files.createDirectories(folder.resolve("storage"));
    Path config = Files.writeString(folder.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "log: {level: warn}",
        "storage: {filesystem: {rootdirectory: " + storage + "}, delete: {enabled: true}}",
        "http: {addr: 127.0.0.1:" + port + "}",
        ""));
    Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(folder.resolve("registry.log").toFile()).start();
    LocalRegistry registry = new LocalRegistry(process, storage, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        if (registry.get("/v2/").statusCode() == 200) {
          return registry;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline || !process.isAlive()) {
        registry.close();
        throw new IllegalStateException("docker-registry did not answer on port " + port + ": "
            + Files.readString(folder.resolve("registry.log")));
      }
      Thread.sleep(100);
    }
  }

  /** host:port, as image names give a registry. */
  String address() {
    return "127.0.0.1:" + port;
  }

  /** The digest the registry gives a tag's manifest. */
  String digest(String repository, String tag) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/"
            + repository + "/manifests/" + tag))
        .header("Accept", "application/vnd.docker.distribution.manifest.v2+json")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    return response.headers().firstValue("Docker-Content-Digest")
        .orElseThrow(() -> new AssertionError(repository + ":" + tag + " is not in the registry: " + response));
  }

  /** Bytes the registry stores (blobs: layers, configs, manifests). */
  long storedBytes() throws IOException {
    try (Stream<Path> files = Files.walk(storage)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + address() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    process.destroy();
  }
}
