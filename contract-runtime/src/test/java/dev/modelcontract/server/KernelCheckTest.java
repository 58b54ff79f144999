package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.CpuKernels;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.validation.Check;
import dev.modelcontract.validation.GoldenReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check against a real trial process, here trying the cap this JVM runs with (as every test does), so that its
 * numbers are this JVM's on any host: the check must agree, and a difference injected into the tried side must end it.
 */
class KernelCheckTest {

  private static final ExampleModel EXAMPLE = ExampleModel.TWO_ARGS_DICT;
  private static final double TOLERANCE = ExampleModel.TOLERANCE;

  private static ContractModel model;

  @BeforeAll
  static void load() throws Exception {
    model = ContractModel.load(EXAMPLE.modelDir());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static KernelCheck.Verdict check(Path modelDirectory) throws Exception {
    ServerConfig config = new ServerConfig(0, modelDirectory, 1 << 20, 1, EXAMPLE.goldenDir(), TOLERANCE);
    try (KernelCheck check = KernelCheck.start(config, config.batching().rowsPerPass(model.maxBatchRows()),
        CpuKernels.apply().onednnMaxIsa())) {
      return check.judge(model, TOLERANCE);
    }
  }

  @Test
  void theSameKernelsOnBothSidesAgreeOnTheGoldenPairsAndEveryProbe() throws Exception {
    KernelCheck.Verdict verdict = check(EXAMPLE.modelDir());

    assertThat(verdict.agreed()).as(verdict.reason()).isTrue();
    // two-args-dict: batch 1..32, T 2..128
    assertThat(verdict.reason()).matches("checked on this host: 3 golden pairs and 19 requests drawn from the contract"
        + " \\(batch 1\u201332, T 2\u2013128\\) gave the capped kernels' numbers within 1.0E-5, in \\d+ ms");
  }

  @Test
  void theVerdictIsRepeatable() throws Exception {
    String once = check(EXAMPLE.modelDir()).reason();
    String again = check(EXAMPLE.modelDir()).reason();

    assertThat(again.replaceAll("\\d+ ms", "")).isEqualTo(once.replaceAll("\\d+ ms", ""));
  }

  @Test
  void anInjectedDifferenceEndsTheCheckNamingTheRequestAndTheOutput() throws Exception {
    System.setProperty(CpuKernels.INJECTED_DIFFERENCE_PROPERTY, "1e-4");
    KernelCheck.Verdict verdict;
    try {
      verdict = check(EXAMPLE.modelDir());
    } finally {
      System.clearProperty(CpuKernels.INJECTED_DIFFERENCE_PROPERTY);
    }

    assertThat(verdict.agreed()).isFalse();
    assertThat(verdict.reason()).startsWith("19 of 19 requests drawn from the contract (batch 1\u201332, T 2\u2013128)"
        + " differ beyond 1.0E-5, the request drawn with batch 1, T 128: output '");
  }

  @Test
  void aGoldenPairThatDiffersWithTheTriedKernelsIsNamed() throws Exception {
    List<Check> golden = GoldenReplay.replay(model, GoldenCase.loadAll(EXAMPLE.goldenDir()), TOLERANCE);
    List<Check> oneOff = List.of(golden.get(0), Check.fail("golden batched (two sequences)",
        "output 'forecast' at [1, 0]: expected 101.5, got 101.6; and more"));

    assertThat(KernelTrial.goldenPairsDiffer(golden)).isNull();
    assertThat(KernelTrial.goldenPairsDiffer(oneOff)).isEqualTo("1 of 2 golden pairs differ with them, golden"
        + " batched (two sequences): output 'forecast' at [1, 0]: expected 101.5, got 101.6");
  }

  @Test
  void aTrialWhoseGoldenPairsDifferEndsTheCheckNamingThem(@TempDir Path folder) throws Exception {
    Path golden = folder.resolve("golden");
    Files.createDirectories(golden);
    try (Stream<Path> pairs = Files.list(EXAMPLE.goldenDir())) {
      for (Path pair : pairs.toList()) {
        Files.writeString(golden.resolve(pair.getFileName()), Files.readString(pair)
            .replaceFirst("(?<head>\"forecast\"\\s*:\\s*[\\[\\s]*)-?[0-9]", "${head}7"));
      }
    }
    ServerConfig config = new ServerConfig(0, EXAMPLE.modelDir(), 1 << 20, 1, golden, TOLERANCE);
    try (KernelCheck check = KernelCheck.start(config, 32, CpuKernels.apply().onednnMaxIsa())) {
      KernelCheck.Verdict verdict = check.judge(model, TOLERANCE);

      assertThat(verdict.agreed()).isFalse();
      assertThat(verdict.reason()).matches("\\d of 3 golden pairs differ with them, golden .*");
    }
  }

  @Test
  void aTrialThatCannotRunIsAReasonToStayCapped(@TempDir Path empty) throws Exception {
    KernelCheck.Verdict verdict = check(empty);

    assertThat(verdict.agreed()).isFalse();
    assertThat(verdict.reason()).isEqualTo("the process trying them exited 1");
  }
}
