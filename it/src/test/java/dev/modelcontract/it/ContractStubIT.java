package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.hosting.ImageCommand;
import dev.modelcontract.testkit.Answer;
import dev.modelcontract.testkit.ConformanceSuite;
import dev.modelcontract.testkit.ContractBreakingRequests;
import dev.modelcontract.testkit.ContractClient;
import dev.modelcontract.testkit.ContractStub;
import dev.modelcontract.testkit.ProbeRequest;
import dev.modelcontract.testkit.SageMakerContainer;
import dev.modelcontract.validation.Check;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The consumer stub refuses exactly as the real image does: every contract-breaking request of the suite, sent to
 * the example's image and to its stub (built from the contract alone), gets the same status, the same problem
 * type and names the same input.
 */
class ContractStubIT {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));

  /** How a server refused a request: what the stub must repeat. */
  record Refusal(String request, int status, String type, String input) {

    static Refusal of(ProbeRequest probe, Answer answer) {
      return new Refusal(probe.name(), answer.status(), answer.problemType(),
          answer.isProblem() ? answer.problem().path("input").asString(null) : null);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lstm-two-inputs", "two-args-dict", "token-classifier", "house-prices"})
  void stubRefusesTheWholeNegativeSuiteAsTheImageDoes(String example) throws Exception {
    Path repo = EXAMPLES.resolve(example);
    Path contractFile = repo.resolve("model").resolve(ContractReader.FILE_NAME);
    ModelContract contract = new ContractReader().read(contractFile);
    List<ProbeRequest> probes = ContractBreakingRequests.of(contract);

    List<Refusal> byImage;
    try (SageMakerContainer image = new SageMakerContainer(example + ":1.0.0")) {
      image.start();
      byImage = refusals(new ContractClient(image.getEndpoint(), contract), probes);
    }
    List<Refusal> byStub;
    try (ContractStub stub = ContractStub.start(contractFile, repo.resolve("golden"))) {
      byStub = refusals(stub.client(), probes);
    }

    assertThat(byImage).hasSize(probes.size()).allSatisfy(refusal -> assertThat(refusal.status()).isBetween(400, 499));
    assertThat(byStub).containsExactlyElementsOf(byImage);
  }

  /**
   * The stub image the example's build also makes (no model, no libtorch): it passes the whole conformance suite
   * of the contract (golden pairs answered with their responses, valid requests in every format, every refusal) and
   * refuses every contract-breaking request as the serving image does.
   */
  @Test
  void stubImagePassesTheSuiteAndRefusesAsTheServingImageDoes() throws Exception {
    Path repo = EXAMPLES.resolve("lstm-two-inputs");
    Path contractFile = repo.resolve("model").resolve(ContractReader.FILE_NAME);
    ModelContract contract = new ContractReader().read(contractFile);
    List<ProbeRequest> probes = ContractBreakingRequests.of(contract);
    ConformanceSuite suite = ConformanceSuite.of(contract).withGolden(GoldenCase.loadAll(repo.resolve("golden")))
        .withSeed(5);

    List<Refusal> byImage;
    try (SageMakerContainer image = new SageMakerContainer("lstm-two-inputs:1.0.0")) {
      image.start();
      byImage = refusals(new ContractClient(image.getEndpoint(), contract), probes);
    }
    try (SageMakerContainer stub = new SageMakerContainer("lstm-two-inputs-stub:1.0.0")
        .withCommand(ImageCommand.STUB.argument())) {
      stub.start();
      ContractClient client = new ContractClient(stub.getEndpoint(), contract);
      List<Check> checks = suite.run(client);

      assertThat(checks).filteredOn(check -> !check.passed()).as(Check.summary(checks)).isEmpty();
      assertThat(refusals(client, probes)).containsExactlyElementsOf(byImage);
      assertThat(stub.getLogs()).contains("without its model (a stub");
    }
    // The example's own `mvn verify` (the invoker's run) verified its stub beside its image.
    assertThat(Path.of("target/it/examples/lstm-two-inputs/target/model-contract/verify-report-stub.txt")).content()
        .startsWith("Verification of lstm-two-inputs-stub:1.0.0").contains(" checks, 0 failed");
    // Deployed by mistake as an endpoint (SageMaker runs 'serve'), it stops at once rather than answer zeros.
    try (SageMakerContainer deployed = new SageMakerContainer("lstm-two-inputs-stub:1.0.0")) {
      assertThatThrownBy(deployed::start).hasStackTraceContaining("exited with code 2");
      assertThat(deployed.logTail(5)).contains("this is a stub image");
    }
  }

  private static List<Refusal> refusals(ContractClient client, List<ProbeRequest> probes) {
    List<Refusal> refusals = new ArrayList<>();
    for (ProbeRequest probe : probes) {
      refusals.add(Refusal.of(probe, client.send(probe.contentType(), probe.accept(), probe.body())));
    }
    return refusals;
  }
}
