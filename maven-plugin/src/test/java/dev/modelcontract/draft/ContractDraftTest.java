package dev.modelcontract.draft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractProblem;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ForwardSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.OutputSpec;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.validation.ContractDryRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drafts from real TorchScript files, read back by the contract reader and checked by validate's dry runs. */
class ContractDraftTest {

  @TempDir
  Path dir;

  @Test
  void withASampleTheForecastersDraftIsCompleteAndPassesTheDryRuns() throws Exception {
    ContractDraft draft = ContractDraft.of(Fixtures.FORECASTER, Optional.of(Fixtures.SAMPLE), Fixtures.SAMPLE_HINT);
    Path model = modelRepo(Fixtures.FORECASTER, draft);

    assertThat(draft.hasTodos()).isFalse();
    ModelContract contract = new ContractReader().read(model.resolve(ContractReader.FILE_NAME));
    assertThat(contract.inputs()).extracting(InputSpec::name, input -> input.dtype().contractName(),
            input -> input.shape().toString())
        .containsExactly(tuple("store_id", "int64", "[batch]"), tuple("history", "float32", "[batch, T, 3]"),
            tuple("calendar", "float32", "[batch, 5]"));
    assertThat(contract.forward().returns()).isEqualTo(ForwardSpec.Returns.DICT);
    assertThat(contract.outputs()).extracting(OutputSpec::name, OutputSpec::dictKey, output -> output.shape().toString())
        .containsExactly(tuple("forecast", "forecast", "[batch, 7]"), tuple("p_stockout", "p_stockout", "[batch, 1]"));
    assertThat(contract.batch()).hasValueSatisfying(batch -> assertThat(batch.dim()).isEqualTo("batch"));
    assertThat(contract.dims()).containsOnlyKeys("batch", "T");
    try (ContractModel loaded = ContractModel.load(model)) {
      ContractDryRun.Result result = ContractDryRun.run(loaded);
      assertThat(result.problems()).isEmpty();
      assertThat(result.cases()).hasSize(3);
    }
  }

  @Test
  void aTracedModelDraftsTheSameContract() throws Exception {
    ContractDraft scripted = ContractDraft.of(Fixtures.FORECASTER, Optional.of(Fixtures.SAMPLE), Fixtures.SAMPLE_HINT);
    ContractDraft traced = ContractDraft.of(Fixtures.FORECASTER_TRACED, Optional.of(Fixtures.SAMPLE),
        Fixtures.SAMPLE_HINT);

    assertThat(traced.inputs()).isEqualTo(scripted.inputs());
    assertThat(traced.outputs()).isEqualTo(scripted.outputs());
  }

  @Test
  void withoutASampleEveryDtypeAndShapeIsAMarkThatValidateReportsWithItsLine() throws Exception {
    ContractDraft draft = ContractDraft.of(Fixtures.FORECASTER, Optional.empty(), Fixtures.SAMPLE_HINT);
    Path model = modelRepo(Fixtures.FORECASTER, draft);
    String yaml = Files.readString(model.resolve(ContractReader.FILE_NAME));

    assertThat(draft.todoCount()).isEqualTo(9); // 3 inputs x (dtype, shape), the dict's unknown keys x 3
    assertThat(yaml).contains("    - input: history\n").contains("  returns: dict\n");
    ContractException marks = readFails(model);
    assertThat(marks.problems()).hasSize(9);
    ContractProblem history = marks.problems().get(3);
    int line = lineOf(yaml, "  - name: history") + 2;
    assertThat(history.location()).endsWith("model-contract.yaml:" + line + ":12");
    assertThat(history.pointer()).isEqualTo("/inputs/1/shape");
    assertThat(history.toString()).endsWith("(/inputs/1/shape): the shape of input 'history' is still to fill in"
        + " (marked FILL IN), perhaps you should write it, e.g. [batch, T, 3], or give init a sample request to learn"
        + " it (-Dmodelcontract.init.sample=request.json)");
    assertThat(marks.problems().get(6).toString()).contains("(/outputs/0/name): the name of output 1 is still to"
        + " fill in (marked FILL IN), perhaps you should name one output per key of the Dict[str, Tensor] forward returns");
  }

  @Test
  void aDraftWhoseMarksAreFilledInPassesTheDryRuns() throws Exception {
    Path example = Fixtures.example("two-args-dict");
    ContractDraft draft = ContractDraft.of(example, Optional.empty(), Fixtures.SAMPLE_HINT);
    Path model = modelRepo(example, draft);
    assertThat(draft.outputs()).extracting(output -> output.name().value().orElseThrow())
        .containsExactly("forecast", "regime"); // keys read from forward's code

    fill(model, Map.of("prices", "[batch, T, 3]", "volume", "[batch, T, 1]", "forecast", "[batch, 1]",
        "regime", "[batch, 3]"));

    try (ContractModel loaded = ContractModel.load(model)) {
      assertThat(ContractDryRun.run(loaded).problems()).isEmpty();
    }
  }

  @Test
  void aTupleModelsOutputsAreReadByIndexAndItsSequenceAxisFollowsTheRun() throws Exception {
    Path example = Fixtures.example("lstm-two-inputs");
    Path sample = Files.writeString(dir.resolve("x.json"), "{\"x\": [[[0.1, 0.2, 0.3, 0.4, 0.5, 0.6],"
        + " [0.6, 0.5, 0.4, 0.3, 0.2, 0.1]]]}");

    ContractDraft draft = ContractDraft.of(example, Optional.of(sample), Fixtures.SAMPLE_HINT);

    assertThat(draft.inputs()).singleElement().satisfies(input ->
        assertThat(input.shape().value().orElseThrow().toString()).isEqualTo("[batch, T, 6]"));
    assertThat(draft.outputs()).extracting(output -> output.name().value().orElseThrow(), ContractDraft.Output::index,
            output -> output.shape().value().orElseThrow().toString())
        .containsExactly(tuple("output_1", Optional.of(0), "[batch, 1]"), tuple("output_2", Optional.of(1),
            "[batch, 3]"));
    try (ContractModel loaded = ContractModel.load(modelRepo(example, draft))) {
      assertThat(ContractDryRun.run(loaded).problems()).isEmpty();
    }
  }

  @Test
  void aSampleTheModelRefusesLeavesMarksThatSayWhy() throws Exception {
    Path ints = Files.writeString(dir.resolve("ints.json"), "{\"store_id\": [1], \"history\": [[[1, 2, 3]]],"
        + " \"calendar\": [[0.5, 0.5, 0.5, 0.5, 0.5]]}");
    Path missing = Files.writeString(dir.resolve("missing.json"), "{\"store_id\": [1]}");

    ContractDraft refused = ContractDraft.of(Fixtures.FORECASTER, Optional.of(ints), Fixtures.SAMPLE_HINT);
    ContractDraft partial = ContractDraft.of(Fixtures.FORECASTER, Optional.of(missing), Fixtures.SAMPLE_HINT);

    assertThat(refused.sample()).isEmpty();
    assertThat(refused.inputs().get(1).shape().todo())
        .startsWith("write it, e.g. [batch, T, 3] (init could not learn it: the model failed on the sample request:");
    assertThat(partial.inputs().get(0).dtype().todo())
        .contains("the sample request has no 'history' for forward's argument of that name");
  }

  private Path modelRepo(Path modelFile, ContractDraft draft) throws Exception {
    Path model = Files.createDirectories(dir.resolve("repo-" + modelFile.getParent().getFileName() + "-"
        + modelFile.getFileName()).resolve("model"));
    Files.copy(modelFile, model.resolve(modelFile.getFileName()));
    Files.writeString(model.resolve(ContractReader.FILE_NAME), DraftYaml.write(draft));
    return model;
  }

  /** What a user does with the marks: a dtype and a shape for each input and output, by name. */
  private static void fill(Path model, Map<String, String> shapes) throws Exception {
    Path file = model.resolve(ContractReader.FILE_NAME);
    StringBuilder filled = new StringBuilder();
    String name = null;
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("  - name: ")) {
        name = line.substring("  - name: ".length()).split(" ")[0];
      }
      filled.append(line.startsWith("    dtype: \"FILL IN") ? "    dtype: float32"
          : line.startsWith("    shape: \"FILL IN") ? "    shape: " + shapes.get(name) : line).append('\n');
    }
    Files.writeString(file, filled);
  }

  private static ContractException readFails(Path model) {
    try {
      new ContractReader().read(model.resolve(ContractReader.FILE_NAME));
    } catch (ContractException e) {
      return e;
    }
    throw new AssertionError("the draft was read without problems");
  }

  private static int lineOf(String text, String line) {
    return text.lines().toList().indexOf(line) + 1;
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }
}
