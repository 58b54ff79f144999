package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.hosting.SageMakerHosting;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.testkit.SageMakerContainer;
import dev.modelcontract.validation.GoldenReplay;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The image under a memory limit, attacked at 64 connections with the bodies that once stalled or killed it, while
 * a prober asks {@code /ping} every 100 ms on a new connection as SageMaker's health check does: no probe may take
 * over 100 ms, the container must not be OOM-killed, every request gets an answer (a 2xx, a 4xx problem or a 503
 * with Retry-After, never another 5xx or a dropped connection), and the golden pairs still hold afterwards. A first
 * phase of every body in turn warms the JVM up before the timed ones.
 *
 * <p>The server runs on one core and the load on the other, as on SageMaker, where callers are elsewhere: one
 * thread drives the 64 connections ({@link LoadGenerator}), and the prober shares that core with it alone.
 */
class HostileLoadIT {

  private static final String IMAGE = System.getProperty("example.image", "lstm-two-inputs:1.0.0");
  private static final Path EXAMPLE = Path.of(System.getProperty("examples.dir", "../examples"), "lstm-two-inputs");
  private static final String SERVER_CPUS = System.getProperty("hostile.server.cpus", "1");
  private static final String CLIENT_CPUS = System.getProperty("hostile.client.cpus", "0");
  private static final int CONNECTIONS = 64;
  private static final int PHASE_SECONDS = 8;
  private static final long PROBE_EVERY_MILLIS = 100;
  private static final long PROBE_LIMIT_MILLIS = 100;
  private static final int MAX_BODY = SageMakerHosting.MAX_BODY_BYTES;
  /**
   * The first phase, every body of the others in turn, whose /ping times are reported but not held to the limit: a
   * flood in the first second of a cold JVM meets the paths it takes interpreted until the JIT has compiled them
   * (measured: up to ~150 ms, once, on one core), as any JVM server's would.
   */
  private static final String WARM_UP = "warm-up (all the bodies below in turn)";

  /** A request body and one more header it is sent with (or null). */
  private record Body(byte[] bytes, String header) {
    Body(byte[] bytes) {
      this(bytes, null);
    }
  }

  @ParameterizedTest(name = "--memory {0}m")
  @ValueSource(longs = {512, 1024})
  void pingStaysFastAndTheServerAliveUnderEveryHostileBodyAtSixtyFourConnections(long megabytes)
      throws Exception {
    pinThisJvm(CLIENT_CPUS);
    Map<String, List<Body>> phases = new LinkedHashMap<>();
    Body manyKeys = new Body(manyKeys(500_000));
    Body largest = new Body(largestLegalBody());
    List<Body> bad = badBodies();
    List<Body> all = new ArrayList<>(List.of(manyKeys, largest));
    all.addAll(bad);
    phases.put(WARM_UP, all);
    phases.put("a JSON object of 500,000 keys", List.of(manyKeys));
    phases.put("the largest legal body", List.of(largest));
    phases.put("a mixed stream of " + bad.size() + " kinds of bad bodies", bad);

    long limit = megabytes << 20;
    try (SageMakerContainer container = new SageMakerContainer(IMAGE)
        .withEnv("JAVA_OPTS", System.getProperty("hostile.java.opts", ""))
        .withCreateContainerCmdModifier(command -> command.getHostConfig().withMemory(limit).withMemorySwap(limit)
            .withCpusetCpus(SERVER_CPUS))) {
      container.start();
      String host = container.getContainerInfo().getNetworkSettings().getIpAddress();
      assertThat(container.getLogs()).contains("(sized for " + megabytes + " MiB, the container's memory limit)");

      SoftAssertions softly = new SoftAssertions();
      for (Map.Entry<String, List<Body>> phase : phases.entrySet()) {
        List<byte[]> requests = phase.getValue().stream().map(body -> LoadGenerator.post(body.bytes(), body.header()))
            .toList();
        CompletableFuture<Probes> probing = CompletableFuture.supplyAsync(() -> probe(host));
        LoadGenerator.Result load = new LoadGenerator(host, SageMakerContainer.PORT, requests)
            .run(CONNECTIONS, PHASE_SECONDS);
        Probes probes = probing.get(PHASE_SECONDS + 30, TimeUnit.SECONDS);
        String what = "--memory " + megabytes + "m, " + phase.getKey();
        System.out.printf("%s: statuses %s, %d unanswered; /ping %s; %s%n", what, load.statuses(), load.unanswered(),
            probes, memoryUsage(container));

        softly.assertThat(stillRunning(container)).as("%s: the container runs, not OOM-killed", what).isTrue();
        softly.assertThat(load.unanswered()).as("%s: requests without an answer", what).isZero();
        softly.assertThat(load.statuses().keySet()).as("%s: statuses", what)
            .isNotEmpty().isSubsetOf(200, 400, 406, 413, 415, 422, 503);
        if (!phase.getKey().equals(WARM_UP)) {
          softly.assertThat(probes.slowestMillis()).as("%s: the slowest /ping, in ms (%s)", what, probes)
              .isLessThanOrEqualTo(PROBE_LIMIT_MILLIS);
        }
        softly.assertThat(probes.failed).as("%s: probes not answered 200", what).isZero();
      }
      softly.assertAll();
      assertGoldenPairsHold(host);
    }
  }

  /** The prober's times, in ms, and its failures. */
  private record Probes(List<Long> millis, int failed) {
    long slowestMillis() {
      return millis.stream().mapToLong(Long::longValue).max().orElse(Long.MAX_VALUE);
    }

    @Override
    public String toString() {
      List<Long> sorted = millis.stream().sorted().toList();
      return sorted.size() + " probes, median " + sorted.get(sorted.size() / 2) + " ms, slowest " + slowestMillis()
          + " ms, " + failed + " failed; in order " + millis;
    }
  }

  /** {@code GET /ping} every 100 ms for the phase, each on a new connection. */
  private static Probes probe(String host) {
    List<Long> millis = new ArrayList<>();
    int failed = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(PHASE_SECONDS);
    while (System.nanoTime() < end) {
      long started = System.nanoTime();
      int status;
      try (RawConnection ping = new RawConnection(host, SageMakerContainer.PORT)) {
        ping.send(RawConnection.get("/ping"));
        status = ping.read().status();
      } catch (IOException e) {
        status = -1;
      }
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      millis.add(took);
      failed += status == 200 ? 0 : 1;
      try {
        Thread.sleep(Math.max(0, PROBE_EVERY_MILLIS - took));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new Probes(millis, failed);
  }

  /** Keeps this JVM (the prober) on the load's core, off the server's. */
  private static void pinThisJvm(String cpus) throws Exception {
    Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus,
        Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
    String output = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(taskset.waitFor()).as(output).isZero();
  }

  /** {"k0": 1, "k1": 1, …}: the 5.9 MB body whose refusal once held the I/O thread for seconds. */
  private static byte[] manyKeys(int keys) {
    StringBuilder json = new StringBuilder(keys * 12).append('{');
    for (int i = 0; i < keys; i++) {
      json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
    }
    return json.append('}').toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The largest body the server reads: the contract's largest batch (64 sequences of 512 steps) with values written
   * at full precision and padded with whitespace up to the 6 MiB limit.
   */
  private static byte[] largestLegalBody() {
    StringBuilder json = new StringBuilder(MAX_BODY);
    json.append('{');
    appendInput(json, "input_1", new double[] {101.5, 99.25, 102.75, 100.0});
    json.append(',');
    appendInput(json, "input_2", new double[] {15000.0, 0.5});
    json.append('}');
    json.insert(1, " ".repeat(MAX_BODY - json.length()));
    return json.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void appendInput(StringBuilder json, String name, double[] typical) {
    json.append('"').append(name).append("\":[");
    for (int b = 0; b < 64; b++) {
      json.append(b == 0 ? "[" : ",[");
      for (int t = 0; t < 512; t++) {
        json.append(t == 0 ? "[" : ",[");
        for (int f = 0; f < typical.length; f++) {
          json.append(f == 0 ? "" : ",").append(typical[f] * (1 + ((b * 31 + t * 7 + f) % 97 - 48) / 1000.0));
        }
        json.append(']');
      }
      json.append(']');
    }
    json.append(']');
  }

  /** Bad bodies of every kind the server must refuse cheaply. */
  private static List<Body> badBodies() throws IOException {
    return List.of(
        new Body(ascii("{\"input_1\": [[1, 2, 3]]")),
        new Body(ascii("{\"input_1\": " + "[".repeat(100_000))),
        new Body(ascii("{\"input_1\": \"" + "x".repeat(MAX_BODY - 100) + "\"}")),
        new Body(ascii("{\"input_1\": [[[1" + "0".repeat(5_000_000) + "]]]}")),
        new Body(ascii("{\"instances\": [" + "{\"input_1\": [[1, 2, 3, 4]]},".repeat(150_000) + "{}]}")),
        new Body(manyKeys(200_000)),
        new Body(gzipped(new byte[2 * MAX_BODY]), "Content-Encoding: gzip"),
        new Body(new byte[MAX_BODY + 1]),
        new Body(new byte[MAX_BODY - 1000], "Accept: ;"));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Zeros, gzipped: a few kilobytes that unpack to twice the body limit. */
  private static byte[] gzipped(byte[] bytes) throws IOException {
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(packed)) {
      gzip.write(bytes);
    }
    return packed.toByteArray();
  }

  private static boolean stillRunning(SageMakerContainer container) {
    InspectContainerResponse.ContainerState state = container.getDockerClient()
        .inspectContainerCmd(container.getContainerId()).exec().getState();
    return Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getOOMKilled());
  }

  /** The server's resident size and the container's peak memory (cgroup v2 or v1, page cache included). */
  private static String memoryUsage(SageMakerContainer container) throws Exception {
    String rss = ImageShell.serverStatus(container, "VmRSS").replaceAll("[^0-9]", "");
    String peak = ImageShell.run(container, "read v < /sys/fs/cgroup/memory.peak 2>/dev/null"
        + " || read v < /sys/fs/cgroup/memory/memory.max_usage_in_bytes; echo \"$v\"");
    return "RSS " + (Long.parseLong(rss) >> 10) + " MiB, container peak " + (Long.parseLong(peak) >> 20) + " MiB";
  }

  private static void assertGoldenPairsHold(String host) throws Exception {
    try (RawConnection connection = new RawConnection(host, SageMakerContainer.PORT)) {
      for (GoldenCase golden : GoldenCase.loadAll(EXAMPLE.resolve(GoldenCase.FOLDER))) {
        connection.send(RawConnection.post("/invocations", golden.requestBody()));
        RawConnection.Response response = connection.read();
        assertThat(response.status()).as(golden.name()).isEqualTo(200);
        assertThat(TensorComparison.differences(golden.response(), new JsonTensorReader().read(
            new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8))),
            GoldenReplay.DEFAULT_TOLERANCE)).as(golden.name()).isEmpty();
      }
    }
  }
}
