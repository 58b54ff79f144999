package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.testkit.ConformanceSuite;
import dev.modelcontract.testkit.ImageVerifier;
import dev.modelcontract.testkit.VerificationReport;
import dev.modelcontract.validation.Check;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The suite catches real faults: images built from the example's by changing one thing, the way hand-written
 * serving code drifts from the model (normalization skipped, inputs concatenated in the wrong order, an output
 * renamed, a 500 on a bad shape, outputs off by 1e-3), each verified against the example's own contract and golden
 * pairs, as the plugin's verify goal does. Each must fail, and the failures must point at the fault.
 */
class FaultInjectionIT {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
  private static final String LSTM = "lstm-two-inputs";
  private static final String TWO_ARGS = "two-args-dict";
  /** Where the broken images look for golden pairs: nowhere, so their own start check cannot stop them first. */
  private static final String INPUT_1_NORMALIZATION =
      "    normalize:\n      mean: [101.5, 99.25, 102.75, 100.0]\n      std: [12.5, 11.0, 13.25, 12.0]\n";
  private static final String NO_GOLDEN = "MODEL_CONTRACT_GOLDEN_DIR=/nonexistent";


  @Test
  void normalizationSkipped() {
    VerificationReport report = verify(LSTM, "normalization-skipped", yaml -> replaceOnce(yaml,
        INPUT_1_NORMALIZATION, ""), true);

    // the image without input_1's statistics cannot guard its skew either: the kit's skew cases on input_1 fail too
    assertThat(failedNames(report)).allMatch(name -> name.startsWith("golden ") || name.startsWith("still serving")
        || name.startsWith("skew: ") && name.contains(" input_1 "));
    assertThat(failedNames(report)).anyMatch(name -> name.startsWith("skew: already-normalized input_1"));
    assertThat(details(report)).contains("output 'output_1':", "values differ beyond tolerance");
  }

  @Test
  void normalizationSkippedIsAlsoCaughtByTheImagesOwnStartCheck() {
    VerificationReport report = verify(LSTM, "normalization-skipped-start", yaml -> replaceOnce(yaml,
        INPUT_1_NORMALIZATION, ""), false);

    assertThat(report.startup()).isNull();
    assertThat(failedNames(report)).containsExactly("container start");
    assertThat(details(report)).contains("the container exited with code 3 before /ping answered 200")
        .contains("golden pair differs on this CPU");
  }

  @Test
  void inputsConcatenatedInTheWrongOrder() {
    VerificationReport report = verify(LSTM, "concat-order", yaml -> replaceOnce(yaml,
        "- concat: [input_1, input_2]", "- concat: [input_2, input_1]"), true);

    assertThat(failedNames(report)).isNotEmpty()
        .allMatch(name -> name.startsWith("golden ") || name.startsWith("still serving"));
    assertThat(details(report)).contains("output 'output_1':").contains("output 'output_2':");
  }

  @Test
  void anOutputRenamed() {
    VerificationReport report = verify(LSTM, "output-renamed", yaml -> replaceOnce(yaml,
        "  - name: output_1 ", "  - name: prediction "), true);

    assertThat(failedNames(report)).anyMatch(name -> name.startsWith("golden "))
        .anyMatch(name -> name.startsWith("answers a valid application/json request"));
    assertThat(details(report)).contains("output_1").contains("prediction");
  }

  @Test
  void a500OnABadShape() {
    // volume's sequence length becomes a dim of its own, so requests whose inputs disagree on T reach the model,
    // whose torch.cat fails: the image's own checks (contract, dry runs at equal sizes, golden pairs) all pass
    VerificationReport report = verify(TWO_ARGS, "500-on-bad-shape", yaml -> replaceOnce(replaceOnce(yaml,
        "    shape: [batch, T, 1]", "    shape: [batch, T2, 1]"),
        "  T: {min: 2, max: 128}", "  T: {min: 2, max: 128}\n  T2: {min: 2, max: 128}"), false);

    assertThat(report.startup()).as("the image starts: its own checks pass").isNotNull();
    assertThat(failedNames(report)).containsExactly("refuses 'volume' with T = 3 where 'prices' has 2 with 422");
    assertThat(details(report)).contains("got status 500");
  }

  @Test
  void outputsOffBy1e3() {
    VerificationReport report = verify(LSTM, "off-by-1e-3", yaml -> replaceOnce(yaml,
        "    shape: [batch, 3]\n",
        "    shape: [batch, 3]\n    denormalize: {mean: [0.001, 0.001, 0.001], std: [1, 1, 1]}\n"), true);

    assertThat(failedNames(report)).isNotEmpty()
        .allMatch(name -> name.startsWith("golden ") || name.startsWith("still serving"));
    assertThat(details(report)).contains("output 'output_2':").doesNotContain("output 'output_1':");
  }

  /**
   * Builds an example's image with its contract changed, verifies it against the example's own contract and golden
   * pairs, and prints the report.
   */
  private static VerificationReport verify(String example, String fault, UnaryOperator<String> change,
      boolean withoutGolden) {
    Path repo = EXAMPLES.resolve(example);
    Path contractFile = repo.resolve("model").resolve(ContractReader.FILE_NAME);
    ConformanceSuite suite;
    String broken;
    try {
      ModelContract contract = new ContractReader().read(contractFile);
      suite = ConformanceSuite.of(contract).withGolden(GoldenCase.loadAll(repo.resolve("golden"))).withSeed(3);
      broken = change.apply(Files.readString(contractFile));
    } catch (Exception e) {
      throw new AssertionError("cannot read " + example + ": " + e, e);
    }
    ImageFromDockerfile image = new ImageFromDockerfile("model-contract-it/fault-" + fault, true)
        .withFileFromString(ContractReader.FILE_NAME, broken)
        .withDockerfileFromBuilder(dockerfile -> {
          dockerfile.from(example + ":1.0.0")
              .copy(ContractReader.FILE_NAME, "/opt/ml/model/" + ContractReader.FILE_NAME);
          if (withoutGolden) {
            dockerfile.env(NO_GOLDEN.split("=")[0], NO_GOLDEN.split("=")[1]);
          }
          dockerfile.build();
        });
    VerificationReport report = new ImageVerifier(line -> { }).verify(image.get(), null, suite,
        Duration.ofSeconds(60));
    System.out.println("== " + fault + "\n" + report.render());
    assertThat(report.passed()).as("the suite passes an image with the fault '%s'", fault).isFalse();
    return report;
  }

  private static List<String> failedNames(VerificationReport report) {
    return report.failures().stream().map(Check::name).toList();
  }

  private static String details(VerificationReport report) {
    return String.join("\n", report.failures().stream().map(Check::detail).toList());
  }

  private static String replaceOnce(String text, String from, String to) {
    assertThat(text).as("the example's contract").contains(from);
    return text.replace(from, to);
  }
}
