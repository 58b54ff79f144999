package dev.modelcontract.testkit;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.validation.Check;
import dev.modelcontract.validation.GoldenReplay;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.AssertionFailedError;

/**
 * Runs a served contract for a test class: a serving image started as SageMaker starts it (Testcontainers), an
 * in-process {@link ContractStub}, or an endpoint already running. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ModelContractExtension image = ModelContractExtension.image("lstm-two-inputs:0.1.0")
 *     .contract(Path.of("model/model-contract.yaml"))
 *     .golden(Path.of("golden"));
 *
 * @TestFactory
 * Stream<DynamicTest> conformance() {
 *   return image.conformanceTests();            // the same suite as the plugin's verify goal
 * }
 *
 * @Test
 * void answersAWeek(ContractClient client) {   // or image.client()
 *   Map<String, Tensor> outputs = client.request().with("input_1", week).with("input_2", volumes).invoke();
 * }
 * }</pre>
 *
 * <p>For an image, the class's end also stops the container as SageMaker does and fails the class unless it exits
 * 0 within 30 s of SIGTERM. The seed of the suite's valid requests is printed; the system property
 * {@value ConformanceSuite#SEED_PROPERTY} sets it.
 */
public final class ModelContractExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private enum Target { IMAGE, STUB, ENDPOINT }

  private final Target target;
  private final String image;
  private final URI givenEndpoint;
  private Path contractFile = Path.of("model", ContractReader.FILE_NAME);
  private Path goldenDirectory = Path.of(GoldenCase.FOLDER);
  private Path mountedModel;
  private double tolerance = GoldenReplay.DEFAULT_TOLERANCE;
  private Duration startupTimeout = Duration.ofSeconds(120);
  private Long seed;

  private ModelContract contract;
  private ConformanceSuite suite;
  private SageMakerContainer container;
  private ContractStub stub;
  private ContractClient client;

  private ModelContractExtension(Target target, String image, URI endpoint) {
    this.target = target;
    this.image = image;
    this.givenEndpoint = endpoint;
  }

  /** A serving image, started for the class with {@code serve} as SageMaker starts it. */
  public static ModelContractExtension image(String image) {
    return new ModelContractExtension(Target.IMAGE, image, null);
  }

  /** An in-process stub of the contract: no Docker, no model. */
  public static ModelContractExtension stub() {
    return new ModelContractExtension(Target.STUB, null, null);
  }

  /** A server already running, e.g. {@code http://127.0.0.1:8080}. */
  public static ModelContractExtension endpoint(URI endpoint) {
    return new ModelContractExtension(Target.ENDPOINT, null, endpoint);
  }

  /** The contract file (default {@code model/model-contract.yaml}, a model repo's layout). */
  public ModelContractExtension contract(Path file) {
    this.contractFile = file;
    return this;
  }

  /** The golden pairs' folder (default {@code golden}); an absent folder means none. */
  public ModelContractExtension golden(Path directory) {
    this.goldenDirectory = directory;
    return this;
  }

  /** Golden outputs must be within this, relative to {@code 1 + |expected|} (default 1e-5). */
  public ModelContractExtension tolerance(double allowed) {
    this.tolerance = allowed;
    return this;
  }

  /** Mounts a model directory at /opt/ml/model, for an image built without its model. */
  public ModelContractExtension mountModel(Path directory) {
    this.mountedModel = directory;
    return this;
  }

  /** How long the image may take to answer 200 on /ping (default 120 s). */
  public ModelContractExtension startupTimeout(Duration timeout) {
    this.startupTimeout = timeout;
    return this;
  }

  /** The seed of the suite's valid requests (default: the system property, else a new one each run). */
  public ModelContractExtension seed(long chosen) {
    this.seed = chosen;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException, ContractException {
    contract = new ContractReader().read(contractFile);
    List<GoldenCase> golden = GoldenCase.loadAll(goldenDirectory);
    long chosen = seed != null ? seed : Long.getLong(ConformanceSuite.SEED_PROPERTY, ConformanceSuite.newSeed());
    suite = ConformanceSuite.of(contract).withGolden(golden).withTolerance(tolerance).withSeed(chosen);
    context.publishReportEntry("model-contract", suite.seedLine()); // kept in the test reports
    System.out.println("[model-contract] " + suite.seedLine()); // and in the build log, beside a failure
    URI endpoint = switch (target) {
      case IMAGE -> {
        container = new SageMakerContainer(image).withStartupTimeout(startupTimeout);
        if (mountedModel != null) {
          container.withModel(mountedModel);
        }
        container.start();
        yield container.getEndpoint();
      }
      case STUB -> {
        stub = ContractStub.start(contract, golden);
        yield stub.endpoint();
      }
      case ENDPOINT -> givenEndpoint;
    };
    client = new ContractClient(endpoint, contract);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (stub != null) {
      stub.close();
      stub = null;
    }
    if (container != null) {
      try {
        Check stopped = ImageVerifier.stops(container);
        if (!stopped.passed()) {
          throw new AssertionFailedError(stopped.name() + ": " + stopped.detail() + "\n"
              + ImageVerifier.tail(container));
        }
      } finally {
        container.close();
        container = null;
      }
    }
  }

  /** The client of the served contract; available from {@code @BeforeAll} on. */
  public ContractClient client() {
    if (client == null) {
      throw new IllegalStateException("the served contract starts before the class's tests: register the extension"
          + " on a static field with @RegisterExtension");
    }
    return client;
  }

  public ConformanceSuite suite() {
    client();
    return suite;
  }

  /** The container, for an image: its logs, its Docker client. */
  public SageMakerContainer container() {
    if (container == null) {
      throw new IllegalStateException("no container: this extension serves " + target.name().toLowerCase());
    }
    return container;
  }

  /** The conformance suite as dynamic tests, one per case, for a {@code @TestFactory} method. */
  public Stream<DynamicTest> conformanceTests() {
    ContractClient served = client();
    return suite.cases().stream().map(suiteCase -> DynamicTest.dynamicTest(suiteCase.name(), () -> {
      Check check = suiteCase.run(served);
      if (!check.passed()) {
        throw new AssertionFailedError(check.detail());
      }
    }));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ContractClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return client();
  }
}
