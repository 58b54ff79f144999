package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.JsonTensorReader;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hundred thousand fuzzed requests, each made from a seed and its number alone ({@link RequestFuzzer}), against
 * the real servers of the example models (float32, int64 and bool inputs; one input and several; tuple, dict and
 * labelled outputs): every body format the server reads, mutated where its structure is, sent plain, compressed or
 * chunked, and three in ten with a mutated head. Whatever a client sends, the server answers with a 2xx or a 4xx
 * problem+json of a declared type (505 only to an HTTP version other than 1.x; no 503, which only load this test
 * does not make would earn), never drops a connection unanswered, serves every valid request, and still answers the
 * golden requests right at the end. It prints the time it took, requests per second and CPU per request.
 *
 * <p>{@code -Dfuzz.requests=N}, {@code -Dfuzz.seed=S} and {@code -Dfuzz.from=K} choose which requests are sent:
 * a failure names the three values that send it again alone.
 */
class FuzzRequestsTest {

  private static final long LIMIT = 1024 * 1024;
  private static final int REQUESTS = Integer.getInteger("fuzz.requests", 100_000);
  private static final long SEED = Long.getLong("fuzz.seed", 0x5EED_F00DL);
  private static final int FROM = Integer.getInteger("fuzz.from", 0);
  /** Client threads, each with a keep-alive connection to each server. */
  private static final int CLIENTS = 4;
  /** How many failures the assertion message shows in full. */
  private static final int SHOWN = 10;

  private static final Map<ExampleModel, SageMakerServer> SERVERS = new EnumMap<>(ExampleModel.class);

  @BeforeAll
  static void startAndLoad() throws Exception {
    for (ExampleModel model : ExampleModel.values()) {
      SERVERS.put(model, TestServers.ready(TestServers.config(model, LIMIT, 1)));
    }
  }

  @AfterAll
  static void stop() {
    SERVERS.values().forEach(SageMakerServer::close);
  }

  @Test
  void noFuzzedRequestGetsA5xxOrGoesUnanswered() throws Exception {
    RequestFuzzer fuzzer = new RequestFuzzer(SEED, LIMIT, new FuzzCorpus(List.of(ExampleModel.values()), LIMIT));
    Map<ExampleModel, Integer> ports = new EnumMap<>(ExampleModel.class);
    SERVERS.forEach((model, server) -> ports.put(model, server.port()));

    long started = System.nanoTime();
    long cpuBefore = processCpuNanos();
    Map<String, Long> threadsBefore = cpuByThreadGroup();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<Report>> shares = new ArrayList<>();
    try {
      for (int c = 0; c < CLIENTS; c++) {
        int first = c;
        shares.add(clients.submit(() -> {
          Report share = new Report();
          try (FuzzClient client = new FuzzClient(ports)) {
            for (int n = first; n < REQUESTS; n += CLIENTS) {
              share.add(client.send(fuzzer.request(FROM + n)));
            }
          }
          return share;
        }));
      }
      Report report = new Report();
      for (Future<Report> share : shares) {
        report.add(share.get());
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
      Map<String, Long> threads = cpuByThreadGroup();
      threads.replaceAll((group, nanos) -> nanos - threadsBefore.getOrDefault(group, 0L));
      System.out.printf("%d fuzzed requests in %.1f s: %.0f requests/s; %.1f s of CPU, %.0f µs a request; CPU s by"
          + " thread: %s (the rest: GC, JIT)%n%s", report.requests, seconds, report.requests / seconds, cpuSeconds,
          cpuSeconds * 1e6 / report.requests, threads.entrySet().stream().map(entry -> entry.getKey() + " "
          + String.format("%.1f", entry.getValue() / 1e9)).toList(), report);

      assertThat(report.requests).isEqualTo(REQUESTS);
      assertThat(report.failures).as("%d requests answered 5xx, not at all, or wrongly; the first %d:%n%s",
          report.failures.size(), SHOWN, String.join("\n", report.failures.subList(0, Math.min(SHOWN,
          report.failures.size())))).isEmpty();
      assertThat(report.lingered).as("mutated requests after whose answers the connection stayed open, though the"
          + " request after them asked to close it").isZero();
      if (REQUESTS >= 10_000) {
        // The mutations must reach past the parsers: some bodies are served, some break the contract.
        assertThat(report.byStatus).containsKeys(200, 400, 413, 415, 422);
      }
    } finally {
      clients.shutdownNow();
    }
    for (ExampleModel model : ExampleModel.values()) {
      assertGoldenAnswers(model);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU time of the live threads by name, numbers left out, where over 50 ms: the clients ({@code pool-thread}), I/O
   * ({@code http}), inference and decode threads.
   */
  private static Map<String, Long> cpuByThreadGroup() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> groups = new TreeMap<>();
    for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
      long nanos = thread == null ? -1 : threads.getThreadCpuTime(thread.getThreadId());
      if (nanos > 50_000_000) {
        groups.merge(thread.getThreadName().replaceAll("[-\\d]+$", "").replaceAll("-\\d+-", "-"), nanos, Long::sum);
      }
    }
    return groups;
  }

  /** Every golden request still gets its golden answer: the fuzzing left nothing broken behind. */
  private static void assertGoldenAnswers(ExampleModel model) throws Exception {
    try (RawHttp http = RawHttp.connect(SERVERS.get(model).port())) {
      for (GoldenCase golden : model.goldenCases()) {
        RawHttp.Response answer = http.send(RawHttp.invocation(golden.requestBody())).read();
        assertThat(answer.status()).as("%s %s: %s", model, golden.name(), answer).isEqualTo(200);
        ExampleModel.assertMatchesGolden(new JsonTensorReader().read(new ByteArrayInputStream(answer.body())),
            golden);
      }
    }
  }

  /** Counts by format, by class of head mutation and by status, and the failures. */
  private static final class Report {
    int requests;
    int lingered;
    final List<String> failures = new ArrayList<>();
    final Map<Integer, Integer> byStatus = new TreeMap<>();
    final Map<String, Map<Integer, Integer>> byFormat = new TreeMap<>();
    final Map<String, Map<Integer, Integer>> byHead = new TreeMap<>();
    final Map<String, Integer> byCoding = new TreeMap<>();

    void add(FuzzClient.Result result) {
      FuzzedRequest request = result.request();
      requests++;
      if (result.failure() != null) {
        failures.add(result.failure());
      }
      if (result.lingered()) {
        lingered++;
      }
      byStatus.merge(result.status(), 1, Integer::sum);
      byFormat.computeIfAbsent(request.format().toString(), key -> new TreeMap<>()).merge(result.status(), 1,
          Integer::sum);
      String head = request.headerMutation() == null ? "(none)" : request.headerMutation().toString();
      byHead.computeIfAbsent(head, key -> new TreeMap<>()).merge(result.status(), 1, Integer::sum);
      byCoding.merge(request.coding() + (request.chunked() ? ", chunked" : ""), 1, Integer::sum);
    }

    void add(Report share) {
      requests += share.requests;
      lingered += share.lingered;
      failures.addAll(share.failures);
      share.byStatus.forEach((status, count) -> byStatus.merge(status, count, Integer::sum));
      share.byFormat.forEach((format, counts) -> counts.forEach((status, count) -> byFormat.computeIfAbsent(format,
          key -> new TreeMap<>()).merge(status, count, Integer::sum)));
      share.byHead.forEach((head, counts) -> counts.forEach((status, count) -> byHead.computeIfAbsent(head,
          key -> new TreeMap<>()).merge(status, count, Integer::sum)));
      share.byCoding.forEach((coding, count) -> byCoding.merge(coding, count, Integer::sum));
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder("by status (0: no answer): ").append(byStatus).append('\n');
      text.append("by format (status: count):\n");
      byFormat.forEach((format, statuses) -> text.append(String.format("  %-20s %6d  %s%n", format,
          total(statuses), statuses)));
      text.append("by head mutation:\n");
      byHead.forEach((head, statuses) -> text.append(String.format("  %-20s %6d  %s%n", head, total(statuses),
          statuses)));
      text.append("by coding and framing:\n");
      byCoding.forEach((coding, count) -> text.append(String.format("  %-70s %6d%n", coding, count)));
      return text.toString();
    }

    private static int total(Map<Integer, Integer> counts) {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
  }
}
