package dev.modelcontract.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.validation.Check;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The suite's skew cases: refused with their diagnosis by the stub of a contract that guards its inputs, shown on
 * /metrics by the stub of one that only observes them; and failed by servers that get the skew wrong (one that does
 * not refuse, one that does not observe, one without /metrics, one that refuses naming another input or mistake,
 * one whose /metrics does not measure what it was sent).
 */
class SkewCasesTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));

  @TempDir
  Path dir;

  @Test
  void aGuardedContractsStubRefusesEveryMistakeNamingTheInputAndTheDiagnosis() throws Exception {
    ModelContract contract = contract("lstm-two-inputs");
    try (ContractStub stub = ContractStub.start(contract, List.of())) {
      List<Check> checks = skewChecks(contract, 11, stub.client());

      assertThat(checks).extracting(Check::name).containsExactly(
          "skew: already-normalized input_1 refused 422 input-skew",
          "skew: features-swapped input_2 refused 422 input-skew",
          "skew: scaled input_1 refused 422 input-skew");
      assertThat(checks).filteredOn(check -> !check.passed()).as(Check.summary(checks)).isEmpty();
      assertThat(checks).extracting(Check::detail).satisfiesExactly(
          detail -> assertThat(detail).startsWith("diagnosis already-normalized: input 'input_1': "),
          detail -> assertThat(detail).startsWith("diagnosis features-swapped: input 'input_2': "),
          detail -> assertThat(detail).startsWith("diagnosis scaled: input 'input_1': "));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void houseRowsOfEightAreRefusedWithTheirDiagnosisWhateverTheSeed(long seed) throws Exception {
    ModelContract contract = contract("house-prices");
    try (ContractStub stub = ContractStub.start(contract, List.of())) {
      List<Check> checks = skewChecks(contract, seed, stub.client());

      assertThat(checks).extracting(Check::name).containsExactly(
          "skew: already-normalized features refused 422 input-skew",
          "skew: features-swapped features refused 422 input-skew",
          "skew: scaled features refused 422 input-skew");
      assertThat(checks).filteredOn(check -> !check.passed()).as(Check.summary(checks)).isEmpty();
    }
  }

  @Test
  void anUnguardedContractsStubShowsEachMistakeOnMetricsAsTheValuesSent() throws Exception {
    ModelContract contract = contract("two-args-dict");
    try (ContractStub stub = ContractStub.start(contract, List.of())) {
      List<Check> checks = skewChecks(contract, 11, stub.client());

      // low, high and close have like statistics, and volume is alone: no swap would show, so none is sent
      assertThat(checks).extracting(Check::name).containsExactly(
          "skew: already-normalized prices shows on GET /metrics",
          "skew: scaled prices shows on GET /metrics");
      assertThat(checks).filteredOn(check -> !check.passed()).as(Check.summary(checks)).isEmpty();
      assertThat(checks).extracting(Check::detail).allSatisfy(detail -> assertThat(detail)
          .contains("answered 200 to 20 requests").contains("GET /metrics, model '"));
      // every value of both bursts (8 rows of T = 2, 20 times each) is counted in the window
      SkewMetrics.Window window = SkewMetrics.read(text(stub.client().metrics()), "prices", null).orElseThrow();
      assertThat(window.features()).containsOnlyKeys("low", "high", "close");
      assertThat(window.features().get("close").values()).isGreaterThanOrEqualTo(2 * 20 * 8 * 2);
      // drawn at the training mean of 100 (std 10): normalized, close sits near -10 std; 1000× larger, near +10^4
      assertThat(checks.get(0).detail()).containsPattern("mean -(9|10|11)\\.\\d+ training spreads");
    }
  }

  @Test
  void aGuardedContractsCasesFailAgainstAServerThatServesItUnguarded() throws Exception {
    ModelContract guarded = contract("lstm-two-inputs");
    Path copy = write(Files.readString(contractFile("lstm-two-inputs")).replaceAll("(?m)^skew:.*\\n(  .*\\n)*", ""));
    try (ContractStub unguarded = ContractStub.start(copy, dir.resolve("golden"))) {
      assertThat(unguarded.contract().input("input_1").orElseThrow().skew().orElseThrow().refuse()).isFalse();

      List<Check> checks = skewChecks(guarded, 11, unguarded.client());

      assertThat(checks).hasSize(3).allSatisfy(check -> {
        assertThat(check.passed()).as(check.line()).isFalse();
        assertThat(check.detail()).startsWith("got status 200 for ").contains("where the contract refuses the skew of");
      });
      assertThat(checks.get(1).detail()).startsWith("got status 200 for input 'input_2': volume (feature 0) and"
          + " spread (feature 1) swapped, 8 rows");
    }
  }

  @Test
  void anUnguardedContractsCasesFailAgainstAServerThatDoesNotObserve() throws Exception {
    ModelContract observed = contract("two-args-dict");
    Path copy = write(Files.readString(contractFile("two-args-dict")) + "\nskew: {observe: false}\n");
    try (ContractStub blind = ContractStub.start(copy, dir.resolve("golden"))) {
      List<Check> checks = skewChecks(observed, 11, blind.client());

      assertThat(checks).hasSize(2).allSatisfy(check -> {
        assertThat(check.passed()).as(check.line()).isFalse();
        assertThat(check.detail()).endsWith("/metrics has no modelcontract_input_skew_mean_shift series with"
            + " input=\"prices\": the server does not observe the skew of an input the contract gives training"
            + " statistics");
      });
      // and its own suite knows there is nothing to see there: answered 200, nothing else asked
      List<Check> own = skewChecks(blind.contract(), 11, blind.client());
      assertThat(own).extracting(Check::name).containsExactly(
          "skew: already-normalized prices answered 200, neither refused nor observed",
          "skew: scaled prices answered 200, neither refused nor observed");
      assertThat(own).allMatch(Check::passed);
    }
  }

  @Test
  void anUnguardedContractsCasesFailAgainstAnEndpointWithoutMetrics() throws Exception {
    ModelContract contract = contract("two-args-dict");
    HttpServer server = server();
    server.createContext("/invocations", exchange -> answer(exchange, 200, "application/json",
        "{\"forecast\": [[100.0]]}"));
    server.start();
    try {
      List<Check> checks = skewChecks(contract, 11, new ContractClient(endpoint(server), contract));

      assertThat(checks).hasSize(2).allSatisfy(check -> {
        assertThat(check.passed()).as(check.line()).isFalse();
        assertThat(check.detail()).isEqualTo("GET " + endpoint(server) + "/metrics answered 404: the skew of an input"
            + " the contract does not refuse shows only on /metrics (modelcontract_input_skew_mean_shift), which this"
            + " endpoint does not serve");
      });
    } finally {
      server.stop(0);
    }
  }

  @Test
  void metricsThatDoNotMeasureTheValuesSentFailTheCases() throws Exception {
    ModelContract contract = contract("two-args-dict");
    AtomicInteger answered = new AtomicInteger();
    HttpServer server = server();
    server.createContext("/invocations", exchange -> {
      answered.incrementAndGet();
      answer(exchange, 200, "application/json", "{\"forecast\": [[100.0]]}");
    });
    // counts every value of each request (8 rows of T = 2 per feature), and reports them as training-like
    server.createContext("/metrics", exchange -> {
      StringBuilder text = new StringBuilder("# TYPE modelcontract_input_skew_values gauge\n");
      for (String feature : List.of("low", "high", "close")) {
        String labels = String.format(Locale.ROOT, "{model=\"dict\",input=\"prices\",feature=\"%s\"}", feature);
        text.append(SkewMetrics.VALUES).append(labels).append(' ').append(16 * answered.get()).append('\n')
            .append(SkewMetrics.MEAN_SHIFT).append(labels).append(" 0.0\n")
            .append(SkewMetrics.STD_RATIO).append(labels).append(" 1.0\n");
      }
      answer(exchange, 200, "text/plain; version=0.0.4", text.toString());
    });
    server.start();
    try {
      List<Check> checks = skewChecks(contract, 11, new ContractClient(endpoint(server), contract));

      assertThat(checks).hasSize(2).allSatisfy(check -> {
        assertThat(check.passed()).as(check.line()).isFalse();
        assertThat(check.detail()).startsWith("GET /metrics shows the burst's prices low: mean +0.00 training spreads"
            + " from the training mean, std ratio 1.00, where the values sent are at mean ")
            .endsWith("the server measures them otherwise than against the contract's training statistics");
      });
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aRefusalNamingAnotherInputOrMistakeFailsTheCases() throws Exception {
    ModelContract contract = contract("lstm-two-inputs");
    HttpServer server = server();
    server.createContext("/invocations", exchange -> answer(exchange, 422, "application/problem+json",
        "{\"type\": \"https://modelcontract.dev/problems/input-skew\", \"status\": 422, \"detail\": \"input"
            + " 'input_2' looks scaled\", \"input\": \"input_2\", \"diagnosis\": \"scaled\"}"));
    server.start();
    try {
      List<Check> checks = skewChecks(contract, 11, new ContractClient(endpoint(server), contract));

      assertThat(checks).extracting(Check::passed).containsExactly(false, false, false);
      assertThat(checks.get(0).detail()).startsWith("the problem names the input 'input_2', expected 'input_1' for"
          + " every input with training statistics sent already normalized, 8 rows: ");
      assertThat(checks.get(1).detail()).isEqualTo("diagnosed 'scaled', expected 'features-swapped' for input"
          + " 'input_2': volume (feature 0) and spread (feature 1) swapped, 8 rows: input 'input_2' looks scaled");
      assertThat(checks.get(2).detail()).startsWith("the problem names the input 'input_2', expected 'input_1'");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void mistakesThatCannotShowAreListedAsSkippedWithTheirReason() throws Exception {
    ModelContract unguarded = inline("batch: {min: 1, max: 4}", "");
    ModelContract oneRowGuarded = inline("batch: {min: 1, max: 1}", "skew: {refuse: true}");
    try (ContractStub stub = ContractStub.start(unguarded, List.of());
        ContractStub guardedStub = ContractStub.start(oneRowGuarded, List.of())) {
      List<Check> checks = skewChecks(unguarded, 11, stub.client());
      List<Check> guarded = skewChecks(oneRowGuarded, 11, guardedStub.client());

      // x is drawn around means 1 and 2 with std 1: sent already normalized, it moves 1 and 2 std
      assertThat(checks).extracting(Check::name).containsExactly("skips skew: already-normalized x",
          "skew: scaled x shows on GET /metrics");
      assertThat(checks).allMatch(Check::passed);
      assertThat(checks.get(0).detail()).startsWith("not sent: it would not show on /metrics: the feature of 'x'"
          + " it moves most, ").endsWith(", is within 3 of training");
      assertThat(guarded).extracting(Check::name).containsExactly("skips skew: already-normalized x",
          "skew: scaled x refused 422 input-skew");
      assertThat(guarded).allMatch(Check::passed);
      assertThat(guarded.get(0).detail()).isEqualTo("not sent: at 1 row the skew guard of 'x' (limit 8, odds 10000)"
          + " does not take every input with training statistics sent already normalized for skew: the evidence"
          + " grows with the rows");
      assertThat(guarded.get(1).detail()).startsWith("diagnosis scaled (reported, not required: a reliable one takes"
          + " 8 rows, and the batch dim allows 1): input 'x': ");
    }
  }

  @Test
  void aMistakeThatBreaksTheInputsRangeIsListedAsSkipped() throws Exception {
    ModelContract ranged = new ContractReader().read(write(INLINE.formatted("batch: {min: 1, max: 8}",
        "range: {min: 0, max: 100}", "skew: {refuse: true}")));

    List<ConformanceSuite.Case> cases = ConformanceSuite.of(ranged).withSeed(11).cases().stream()
        .filter(suiteCase -> suiteCase.kind() == ConformanceSuite.Kind.SKEW).toList();

    assertThat(cases).extracting(ConformanceSuite.Case::name).contains("skips skew: scaled x");
    Check scaled = cases.stream().filter(suiteCase -> suiteCase.name().equals("skips skew: scaled x")).findFirst()
        .orElseThrow().run(null);
    assertThat(scaled.detail()).startsWith("not sent: it breaks the contract otherwise, and would be refused before"
        + " its skew is judged: ").contains("range");
  }

  /** A contract of one input {@code x} of two features, drawn around 1 and 2 with std 1. */
  private static final String INLINE = """
      version: 1
      model:
        file: model.pt
      dims:
        %s
      batch:
        dim: batch
      inputs:
        - name: x
          dtype: float32
          shape: [batch, 2]
          %s
          normalize:
            mean: [1.0, 2.0]
            std: [1.0, 1.0]
      forward:
        arguments:
          - input: x
        returns: tensor
      outputs:
        - name: y
          dtype: float32
          shape: [batch, 1]
      %s
      """;

  private ModelContract inline(String batch, String skew) throws Exception {
    return new ContractReader().read(write(INLINE.formatted(batch, "", skew)));
  }

  @Test
  void aContractWithoutTrainingStatisticsHasNoSkewCases() throws Exception {
    assertThat(ConformanceSuite.of(contract("token-classifier")).cases())
        .noneMatch(suiteCase -> suiteCase.kind() == ConformanceSuite.Kind.SKEW);
  }

  private static List<Check> skewChecks(ModelContract contract, long seed, ContractClient client) {
    return ConformanceSuite.of(contract).withSeed(seed).cases().stream()
        .filter(suiteCase -> suiteCase.kind() == ConformanceSuite.Kind.SKEW)
        .map(suiteCase -> suiteCase.run(client)).toList();
  }

  private static Path contractFile(String example) {
    return EXAMPLES.resolve(example).resolve("model").resolve(ContractReader.FILE_NAME);
  }

  private static ModelContract contract(String example) throws Exception {
    return new ContractReader().read(contractFile(example));
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve(ContractReader.FILE_NAME), yaml);
  }

  private static String text(Answer answer) {
    assertThat(answer.status()).isEqualTo(200);
    return new String(answer.body(), StandardCharsets.UTF_8);
  }

  private static HttpServer server() throws IOException {
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
  }

  private static URI endpoint(HttpServer server) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    exchange.getRequestBody().readAllBytes();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
