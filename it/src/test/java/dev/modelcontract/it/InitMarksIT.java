package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's first steps without a sample request, with a real mvn: an empty folder and a TorchScript file with
 * three differently-typed arguments and a dict result; {@code init} drafts the contract from the model's code and marks
 * what it could not learn; {@code validate} names every mark with its line; filling in exactly the marked values (and
 * nothing else) gives a contract that validates, packages and verifies. (The invoker run {@code init-from-torchscript}
 * takes the other way, a sample request that leaves nothing to fill in.)
 */
class InitMarksIT {

  /** The fixture of the plugin's unit tests (maven-plugin/src/test/python/generate_forecaster.py). */
  private static final Path FIXTURE = Path.of("../maven-plugin/src/test/resources/init");
  private static final Pattern MARK = Pattern.compile("model-contract\\.yaml:(\\d+)");

  @TempDir
  Path dir;

  @Test
  void theMarkedValuesAreAllAUserFillsInToGoFromATorchScriptFileToAVerifiedImage() throws Exception {
    Files.copy(FIXTURE.resolve("forecaster.pt"), dir.resolve("forecaster.pt"));
    Path repo = Files.createDirectories(dir.resolve("forecaster"));

    MavenRun.in(repo, MavenRun.goal("init"), "-Dmodelcontract.init.modelFile=../forecaster.pt",
        "-Dmodelcontract.init.groupId=dev.modelcontract.it", "-Dmodelcontract.init.version=1.0.0").assertSucceeded();
    Path contract = repo.resolve("model/model-contract.yaml");
    String drafted = Files.readString(contract);
    assertThat(repo.resolve("pom.xml")).exists();
    assertThat(drafted).contains("forward(store_id: Tensor, history: Tensor, calendar: Tensor) -> Dict[str, Tensor]")
        .contains("  - name: store_id").contains("  - name: history").contains("  - name: calendar")
        .contains("  returns: dict");

    MavenRun.Result unfilled = MavenRun.in(repo, "validate");
    assertThat(unfilled.exitCode()).as("validate refuses a draft with marks left").isNotZero();
    List<String> markedLines = drafted.lines().filter(line -> line.contains("\"FILL IN")).toList();
    Matcher named = MARK.matcher(unfilled.output());
    long lines = named.results().map(match -> match.group(1)).distinct().count();
    assertThat(lines).as("every mark named with its line:\n" + unfilled.output()).isEqualTo(markedLines.size());

    String filled = fill(drafted);
    assertThat(filled.lines().toList()).as("every line init wrote but the marks is kept")
        .containsAll(drafted.lines().filter(line -> !line.contains("\"FILL IN")).toList());
    assertThat(filled.lines().filter(line -> !drafted.lines().toList().contains(line)).count())
        .as("the marked lines and the second output's three").isEqualTo(markedLines.size() + 3);
    Files.writeString(contract, filled);

    Path requests = Files.createDirectories(repo.resolve("requests"));
    Files.copy(FIXTURE.resolve("sample.json"), requests.resolve("two-stores.json"));
    MavenRun.in(repo, MavenRun.goal("record"), "-Dmodelcontract.record=requests").assertSucceeded();
    MavenRun.Result verified = MavenRun.in(repo, "verify", "-Dmodelcontract.image=init-marks-it:1.0.0")
        .assertSucceeded();
    assertThat(verified.output()).contains("PASS golden two-stores").doesNotContain("FAIL ");
  }

  /**
   * What the user writes over the marks: the inputs' dtypes and shapes, and the dict's two outputs (one mark for a
   * name, a dtype and a shape, which the second output's three lines follow).
   */
  private static String fill(String drafted) {
    String[][] inputs = {{"store_id", "int64", "[batch]"}, {"history", "float32", "[batch, T, 3]"},
        {"calendar", "float32", "[batch, 5]"}};
    String filled = drafted;
    for (String[] input : inputs) {
      filled = filled.replaceFirst("(  - name: " + input[0] + "\\n)    dtype: \"FILL IN[^\\n]*\\n    shape: \"FILL IN[^\\n]*",
          "$1    dtype: " + input[1] + "\n    shape: " + Matcher.quoteReplacement(input[2]));
    }
    return filled.replaceFirst("  - name: \"FILL IN[^\\n]*\\n    dtype: \"FILL IN[^\\n]*\\n    shape: \"FILL IN[^\\n]*",
        "  - name: forecast\n    dtype: float32\n    shape: [batch, 7]\n"
            + "  - name: p_stockout\n    dtype: float32\n    shape: [batch, 1]");
  }
}
