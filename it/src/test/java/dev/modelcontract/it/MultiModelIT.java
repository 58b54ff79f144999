package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.hosting.SageMakerHosting;
import dev.modelcontract.image.ModelArchive;
import dev.modelcontract.testkit.Answer;
import dev.modelcontract.testkit.ConformanceSuite;
import dev.modelcontract.testkit.ContractClient;
import dev.modelcontract.testkit.MultiModelClient;
import dev.modelcontract.testkit.MultiModelContainer;
import dev.modelcontract.testkit.MultiModelSuite;
import dev.modelcontract.validation.Check;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The examples' model.tar.gz archives (what their invoker runs built) served by one container started as SageMaker
 * starts a multi-model endpoint's: the example's single-model image (every serving image carries SageMaker's
 * multi-model label), {@code SAGEMAKER_MULTI_MODEL=true}, the archives extracted under /opt/ml/models/NAME/model.
 */
class MultiModelIT {

  /** Where the invoker runs of the examples built them (their clones). */
  private static final Path BUILT = Path.of("target/it/examples");
  private static final String IMAGE = System.getProperty("example.image", "lstm-two-inputs:1.0.0");
  private static final List<String> EXAMPLES = List.of("house-prices", "lstm-two-inputs", "two-args-dict");
  private static final int WARM_UP_CYCLES = 50;
  private static final int CYCLES = 200;
  /**
   * What 200 load/unload cycles may add to the server's RSS after the warm-up ones. A model left loaded costs at least
   * 2.5 MiB each (500 MiB in 200 cycles); what does grow is the heap touching more of its young generation's pages
   * (the 1 GiB container's heap may reach 402 MiB and never shrinks): 16-40 MiB here, flat after ~400 cycles
   * (253 -> 292 MiB over 1,000 cycles, no step after cycle 500).
   */
  private static final long MAX_RSS_GROWTH_KIB = 64 * 1024;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  @TempDir
  Path models;

  @Test
  void everyServingImageDeclaresItServesMultiModelEndpoints() {
    Map<String, String> labels = DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec().getConfig()
        .getLabels();
    assertThat(labels)
        .containsEntry(SageMakerHosting.MULTI_MODEL_LABEL, "true")
        .containsEntry(SageMakerHosting.BIND_TO_PORT_LABEL, "true");
  }

  @Test
  void threeExampleArchivesInOneContainerEachPassTheirContractsSuite() throws Exception {
    List<MultiModelSuite.Model> served = new ArrayList<>();
    for (String example : EXAMPLES) {
      served.add(model(example, example));
    }
    Path wrong = extract("lstm-two-inputs", "wrong-golden");
    Path pair = wrong.resolve(GoldenCase.FOLDER).resolve("batched.json");
    ObjectNode changed = (ObjectNode) JSON.readTree(Files.readString(pair));
    ArrayNode first = (ArrayNode) changed.path("response").path("output_1").get(0);
    first.set(0, JSON.getNodeFactory().numberNode(first.get(0).asDouble() + 0.5));
    Files.writeString(pair, JSON.writeValueAsString(changed));
    try (MultiModelContainer container = new MultiModelContainer(IMAGE).withModels(models)) {
      container.start();
      MultiModelClient client = new MultiModelClient(container.getEndpoint());

      List<Check> checks = MultiModelSuite.of(served).run(client);
      assertThat(checks).as("every check of the three models' suites").allMatch(Check::passed,
          "passed: " + checks.stream().filter(check -> !check.passed()).map(Check::toString).toList());
      assertThat(checks).hasSizeGreaterThan(100);

      // A model whose golden pairs this host does not reproduce is refused at load, naming its pair, while the
      // models loaded beside it keep answering.
      MultiModelSuite.Model steady = served.get(0);
      assertThat(client.load(steady.name(), steady.url()).status()).isEqualTo(200);
      Answer refused = client.load("wrong-golden", MultiModelContainer.modelUrl("wrong-golden"));
      assertThat(refused.status()).as(refused.text()).isEqualTo(422);
      assertThat(refused.problemType()).isEqualTo("model-not-loadable");
      assertThat(refused.text()).contains("batched");
      assertThat(client.describe("wrong-golden").status()).isEqualTo(404);
      ContractClient invoke = client.model(steady.name(), steady.suite().contract());
      for (ConformanceSuite.Case golden : steady.suite().goldenPairs()) {
        assertThat(golden.run(invoke).passed()).as(golden.name()).isTrue();
      }
    }
  }

  @Test
  void loadsAndUnloadsBesideInvokesLoseNothingAndLeaveTheMemoryFlat() throws Exception {
    MultiModelSuite.Model houses = model("house-prices", "house-prices");
    MultiModelSuite.Model dict = model("two-args-dict", "two-args-dict");
    extract("lstm-two-inputs", "cycled");
    try (MultiModelContainer container = new MultiModelContainer(IMAGE).withModels(models)) {
      container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withMemory(1L << 30));
      container.start();
      MultiModelClient client = new MultiModelClient(container.getEndpoint());
      for (MultiModelSuite.Model model : List.of(houses, dict)) {
        assertThat(client.load(model.name(), model.url()).status()).isEqualTo(200);
      }
      AtomicBoolean cycling = new AtomicBoolean(true);
      AtomicLong invokes = new AtomicLong();
      AtomicReference<String> failure = new AtomicReference<>();
      Thread invoker = new Thread(() -> {
        while (cycling.get() && failure.get() == null) {
          for (MultiModelSuite.Model model : List.of(houses, dict)) {
            ContractClient invoke = client.model(model.name(), model.suite().contract());
            for (ConformanceSuite.Case golden : model.suite().goldenPairs()) {
              Check check = golden.run(invoke);
              invokes.incrementAndGet();
              if (!check.passed()) {
                failure.compareAndSet(null, check.toString());
              }
            }
          }
        }
      }, "invoker");
      invoker.start();
      long warm = 0;
      long threads = 0;
      long started = System.nanoTime();
      for (int cycle = 1; cycle <= WARM_UP_CYCLES + CYCLES; cycle++) {
        Answer load = client.load("cycled", MultiModelContainer.modelUrl("cycled"));
        assertThat(load.status()).as("load " + cycle + ": " + load.text()).isEqualTo(200);
        Answer unload = client.unload("cycled");
        assertThat(unload.status()).as("unload " + cycle + ": " + unload.text()).isEqualTo(200);
        if (cycle == WARM_UP_CYCLES) {
          warm = rssKib(container);
          threads = Long.parseLong(ImageShell.serverStatus(container, "Threads"));
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long after = rssKib(container);
      long threadsAfter = Long.parseLong(ImageShell.serverStatus(container, "Threads"));
      cycling.set(false);
      invoker.join();
      System.out.printf("%d load/unload cycles in %.1f s beside %d invokes of two other models: RSS %d MiB after"
              + " %d cycles, %d MiB after %d more (%+.1f KiB per cycle); %d threads, then %d%n", WARM_UP_CYCLES + CYCLES,
        seconds, invokes.get(), warm >> 10, WARM_UP_CYCLES, after >> 10, CYCLES, (after - warm) / (double) CYCLES,
        threads, threadsAfter);
      assertThat(failure.get()).as("every invoke beside the cycles answered right").isNull();
      assertThat(invokes.get()).isGreaterThan(CYCLES);
      assertThat(after - warm).as("RSS growth over %d cycles, KiB", CYCLES).isLessThan(MAX_RSS_GROWTH_KIB);
      assertThat(threadsAfter).as("an unloaded model's inference threads end").isLessThanOrEqualTo(threads + 2);
      assertThat(client.list().text()).contains("house-prices").contains("two-args-dict").doesNotContain("cycled");
    }
  }

  /** An example's archive extracted under a name, as SageMaker extracts what it loads, with its suite. */
  private MultiModelSuite.Model model(String example, String name) throws Exception {
    Path directory = extract(example, name);
    ConformanceSuite suite = ConformanceSuite.of(new ContractReader().read(directory.resolve(ContractReader.FILE_NAME)))
        .withGolden(GoldenCase.loadAll(directory.resolve(GoldenCase.FOLDER))).withSeed(1);
    return new MultiModelSuite.Model(name, MultiModelContainer.modelUrl(name), suite);
  }

  private Path extract(String example, String name) throws Exception {
    Path directory = MultiModelContainer.modelDirectory(models, name);
    ModelArchive.extract(BUILT.resolve(example).resolve("target/model-contract").resolve(ModelArchive.FILE_NAME),
        directory);
    return directory;
  }

  private static long rssKib(MultiModelContainer container) throws Exception {
    return Long.parseLong(ImageShell.serverStatus(container, "VmRSS"));
  }

}
