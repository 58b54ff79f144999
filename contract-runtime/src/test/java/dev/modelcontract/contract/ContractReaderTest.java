package dev.modelcontract.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.inference.ExampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractReaderTest {

  private static final Path LSTM_CONTRACT =
      ExampleModel.LSTM_TWO_INPUTS.modelDir().resolve(ContractReader.FILE_NAME);
  private static final Path DICT_CONTRACT = ExampleModel.TWO_ARGS_DICT.modelDir().resolve(ContractReader.FILE_NAME);
  private static final Path TOKEN_CONTRACT =
      ExampleModel.TOKEN_CLASSIFIER.modelDir().resolve(ContractReader.FILE_NAME);

  private static Dim.Named named(String name) {
    return new Dim.Named(name);
  }

  private static Dim.Fixed fixed(long size) {
    return new Dim.Fixed(size);
  }

  /** Reads a fixture from src/test/resources/contracts; messages call it by its bare file name. */
  private static ModelContract readFixture(String file) throws ContractException, IOException {
    try (InputStream in = ContractReaderTest.class.getResourceAsStream("/contracts/" + file)) {
      assertThat(in).as("fixture %s", file).isNotNull();
      return new ContractReader().read(file, in);
    }
  }

  private static ModelContract readText(String yaml) throws ContractException {
    return new ContractReader().read("text.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  private static ContractException failureOf(String file) {
    ContractException e = catchThrowableOfType(ContractException.class, () -> readFixture(file));
    assertThat(e).as("reading %s should fail", file).isNotNull();
    assertThat(e.file()).isEqualTo(file);
    return e;
  }

  private static ContractProblem problemAt(ContractException e, String pointer) {
    return e.problems().stream().filter(p -> p.pointer().equals(pointer)).findFirst()
        .orElseThrow(() -> new AssertionError("no problem at " + pointer + " in " + e.problems()));
  }

  @Test
  void exampleContractReadsIntoRecords() throws ContractException {
    ModelContract contract = new ContractReader().read(LSTM_CONTRACT);

    assertThat(contract.version()).isEqualTo(1);
    assertThat(contract.model()).isEqualTo(new ModelSpec("model.pt"));
    assertThat(contract.dims()).containsOnly(
        Map.entry("batch", new DimSpec("batch", 1, 64)),
        Map.entry("T", new DimSpec("T", 1, 512)));
    assertThat(contract.batch()).contains(new BatchSpec("batch", true));

    assertThat(contract.inputNames()).containsExactly("input_1", "input_2");
    assertThat(contract.inputs().get(0)).isEqualTo(new InputSpec("input_1", DType.FLOAT32,
        new TensorShape(List.of(named("batch"), named("T"), fixed(4))),
        Optional.of(new Normalization.Standardization(List.of(101.5, 99.25, 102.75, 100.0),
            List.of(12.5, 11.0, 13.25, 12.0), -1)),
        false, Optional.empty(), Optional.empty(), List.of("open", "low", "high", "close"),
        Optional.of(new SkewSpec(true, true, 8, 10_000, 3)), "/inputs/0"));
    assertThat(contract.inputs().get(1)).isEqualTo(new InputSpec("input_2", DType.FLOAT32,
        new TensorShape(List.of(named("batch"), named("T"), fixed(2))),
        Optional.of(new Normalization.Standardization(List.of(15000.0, 0.5), List.of(4000.0, 0.25), -1)),
        false, Optional.empty(), Optional.empty(), List.of("volume", "spread"),
        Optional.of(new SkewSpec(true, true, 8, 10_000, 3)), "/inputs/1"));
    assertThat(contract.inputs().get(0).shape()).hasToString("[batch, T, 4]");
    assertThat(contract.inputs().get(0).optional()).isFalse();

    assertThat(contract.forward()).isEqualTo(new ForwardSpec(
        List.of(new ForwardArgument.Concat(List.of("input_1", "input_2"), -1)), ForwardSpec.Returns.TUPLE));

    assertThat(contract.outputNames()).containsExactly("output_1", "output_2");
    assertThat(contract.outputs().get(0)).isEqualTo(new OutputSpec("output_1", Optional.of(0), Optional.empty(),
        DType.FLOAT32, new TensorShape(List.of(named("batch"), fixed(1))),
        Optional.of(new Normalization.Standardization(List.of(100.0), List.of(10.0), -1)), false, List.of(),
        "/outputs/0"));
    assertThat(contract.outputs().get(1)).isEqualTo(new OutputSpec("output_2", Optional.of(1), Optional.empty(),
        DType.FLOAT32, new TensorShape(List.of(named("batch"), fixed(3))), Optional.empty(), false, List.of(),
        "/outputs/1"));
  }

  @Test
  void dictExampleReadsMinMaxScalingArgumentsKeysLabelsAndSoftmax() throws ContractException {
    ModelContract contract = new ContractReader().read(DICT_CONTRACT);

    assertThat(contract.inputs().get(1).normalize())
        .contains(new Normalization.MinMaxScaling(List.of(0.0), List.of(50000.0), -1));
    assertThat(contract.inputs().get(1).normalize().get().features()).isEqualTo(1);
    assertThat(contract.forward()).isEqualTo(new ForwardSpec(
        List.of(new ForwardArgument.Input("prices"), new ForwardArgument.Input("volume")), ForwardSpec.Returns.DICT));
    assertThat(contract.outputs()).extracting(OutputSpec::name)
        .containsExactly("forecast", "regime", "regime_probability");
    OutputSpec regime = contract.outputs().get(1);
    assertThat(regime.index()).isEmpty();
    assertThat(regime.key()).contains("regime");
    assertThat(regime.labels()).containsExactly("bear", "flat", "bull");
    assertThat(regime.softmax()).isFalse();
    OutputSpec probability = contract.outputs().get(2);
    assertThat(probability.dictKey()).isEqualTo("regime");
    assertThat(probability.softmax()).isTrue();
    assertThat(probability.labels()).isEmpty();
  }

  @Test
  void tokenExampleReadsIntegerAndBoolInputsAndTheDefaultAsJson() throws ContractException {
    ModelContract contract = new ContractReader().read(TOKEN_CONTRACT);

    InputSpec tokens = contract.inputs().get(0);
    assertThat(tokens.dtype()).isEqualTo(DType.INT64);
    assertThat(tokens.optional()).isFalse();
    InputSpec mask = contract.inputs().get(1);
    assertThat(mask.dtype()).isEqualTo(DType.BOOL);
    assertThat(mask.defaultValue()).contains("true");
    assertThat(mask.optional()).isTrue();
    assertThat(contract.forward().returns()).isEqualTo(ForwardSpec.Returns.TENSOR);
    assertThat(contract.outputs().get(0).index()).isEmpty();
    assertThat(contract.outputs().get(0).key()).isEmpty();
    assertThat(contract.outputs().get(0).dictKey()).isEqualTo("topic");
  }

  @Test
  void everyArgumentFormReadsWithItsAxisAndDefaultsToTheLastAxis() throws ContractException {
    ModelContract contract = readText("""
        version: 1
        model: {file: net.pt}
        dims: {batch: {max: 4}}
        batch: {dim: batch}
        inputs:
          - {name: a, dtype: float32, shape: [batch, 2], allowNonFinite: true, default: [0.5, 1]}
          - {name: b, dtype: float32, shape: [batch, 2]}
          - {name: c, dtype: float32, shape: [batch, 2]}
          - {name: d, dtype: float32, shape: [batch, 2]}
          - {name: e, dtype: int64, shape: [batch, 2]}
          - {name: f, dtype: float64, shape: [batch, 2], normalize: {mean: [0, 1], std: [2, 3], axis: -1}}
        forward:
          arguments:
            - {concat: [a, b], axis: 1}
            - {stack: [c, d], axis: 1}
            - {dict: [e, f]}
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [batch, 2]}
        """);

    assertThat(contract.inputs().get(0).allowNonFinite()).isTrue();
    assertThat(contract.inputs().get(0).defaultValue()).contains("[0.5,1]");
    assertThat(contract.inputs().get(5).normalize())
        .contains(new Normalization.Standardization(List.of(0.0, 1.0), List.of(2.0, 3.0), -1));
    assertThat(contract.forward().arguments()).containsExactly(
        new ForwardArgument.Concat(List.of("a", "b"), 1),
        new ForwardArgument.Stack(List.of("c", "d"), 1),
        new ForwardArgument.Dict(List.of("e", "f")));
  }

  @Test
  void aSingleNumberStatisticIsReadAsThatNumberForEveryFeatureOfItsAxis() throws ContractException {
    String lists = """
        version: 1
        model: {file: net.pt}
        dims: {batch: {max: 4}, T: {max: 8}}
        batch: {dim: batch}
        inputs:
          - {name: a, dtype: float32, shape: [batch, 3], normalize: {mean: [1000, 1000, 1000], std: [30, 30, 30]}}
          - {name: b, dtype: float32, shape: [batch, 2, T], normalize: {min: [0, 0], max: [5, 9], axis: 1}}
        forward:
          arguments:
            - input: a
            - input: b
          returns: tuple
        outputs:
          - {name: y, index: 0, dtype: float32, shape: [batch, 7], denormalize: {mean: [2.5, 2.5, 2.5, 2.5, 2.5, \
        2.5, 2.5], std: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]}}
        """;
    ModelContract listed = readText(lists);

    ModelContract scalars = readText(lists
        .replace("mean: [1000, 1000, 1000], std: [30, 30, 30]", "mean: 1000, std: 30")
        .replace("min: [0, 0]", "min: 0")
        .replace("mean: [2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5], std: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]",
            "mean: 2.5, std: 0.5"));

    assertThat(scalars.inputs().get(0).normalize())
        .contains(new Normalization.Standardization(List.of(1000.0, 1000.0, 1000.0), List.of(30.0, 30.0, 30.0), -1));
    assertThat(scalars.inputs().get(1).normalize())
        .contains(new Normalization.MinMaxScaling(List.of(0.0, 0.0), List.of(5.0, 9.0), 1));
    assertThat(scalars.outputs().get(0).denormalize().orElseThrow().features()).isEqualTo(7);
    assertThat(scalars.inputs()).isEqualTo(listed.inputs());
    assertThat(scalars.outputs()).isEqualTo(listed.outputs());
  }

  @Test
  void exampleContractKnowsWhereEachFieldWasWritten() throws ContractException {
    ModelContract contract = new ContractReader().read(LSTM_CONTRACT);

    assertThat(contract.source().file()).isEqualTo(LSTM_CONTRACT.toString());
    assertThat(contract.locate("/model/file")).startsWith(LSTM_CONTRACT + ":7:");
    assertThat(contract.locate("/inputs/1/shape/2")).startsWith(LSTM_CONTRACT + ":30:");
    assertThat(contract.locate("/outputs/1/shape/1")).startsWith(LSTM_CONTRACT + ":52:");
  }

  @Test
  void undeclaredDimsAreUnboundedAndDeclaredBoundsAreInclusive() throws Exception {
    ModelContract contract = readFixture("valid-small.yaml");

    assertThat(contract.dim("T")).isEqualTo(new DimSpec("T", 2, 16));
    assertThat(contract.dim("batch")).isEqualTo(new DimSpec("batch", 1, 8));
    assertThat(contract.dim("other")).isEqualTo(new DimSpec("other", 1, Long.MAX_VALUE));
    assertThat(contract.dim("T").accepts(2)).isTrue();
    assertThat(contract.dim("T").accepts(16)).isTrue();
    assertThat(contract.dim("T").accepts(1)).isFalse();
    assertThat(contract.dim("T").accepts(17)).isFalse();
    assertThat(contract.batch()).contains(new BatchSpec("batch", false));
    assertThat(contract.inputs().get(0).normalize()).isEmpty();
  }

  @Test
  void misspelledKeyIsNamedWithLineAndPointer() {
    ContractException e = failureOf("misspelled-key.yaml");

    ContractProblem misspelled = problemAt(e, "/inputs/0/dtpye");
    assertThat(misspelled.location()).startsWith("misspelled-key.yaml:10:");
    assertThat(misspelled.message()).contains("'dtpye'").contains("not part of the contract language");
    // the real key is then missing: located at the enclosing input (line 9)
    ContractProblem missing = problemAt(e, "/inputs/0/dtype");
    assertThat(missing.message()).contains("'dtype' is missing");
    assertThat(missing.location()).startsWith("misspelled-key.yaml:9:");
  }

  @Test
  void missingTopLevelFieldIsNamedByPointer() {
    ContractException e = failureOf("missing-outputs.yaml");

    assertThat(e.problems()).hasSize(1);
    ContractProblem problem = e.problems().get(0);
    assertThat(problem.pointer()).isEqualTo("/outputs");
    assertThat(problem.message()).contains("'outputs' is missing");
    assertThat(problem.location()).isEqualTo("missing-outputs.yaml:1:1");
  }

  @Test
  void missingNestedFieldIsLocatedAtTheEnclosingField() {
    ContractException e = failureOf("missing-shape.yaml");

    ContractProblem problem = problemAt(e, "/inputs/0/shape");
    assertThat(problem.message()).contains("'shape' is missing");
    assertThat(problem.location()).startsWith("missing-shape.yaml:9:");
  }

  @Test
  void unknownDtypeIsLocatedAtItsLine() {
    ContractException e = failureOf("unknown-dtype.yaml");

    assertThat(e.problems()).hasSize(1);
    ContractProblem problem = e.problems().get(0);
    assertThat(problem.pointer()).isEqualTo("/inputs/0/dtype");
    assertThat(problem.location()).startsWith("unknown-dtype.yaml:10:");
    assertThat(problem.message()).contains("float32");
  }

  @Test
  void yamlSyntaxErrorHasALine() {
    ContractException e = failureOf("yaml-syntax-error.yaml");

    assertThat(e.problems()).hasSize(1);
    ContractProblem problem = e.problems().get(0);
    assertThat(problem.location()).matches("yaml-syntax-error\\.yaml:\\d+:\\d+");
    int line = Integer.parseInt(problem.location().split(":")[1]);
    assertThat(line).isBetween(6, 7);
    assertThat(problem.message()).startsWith("the file is not valid YAML");
  }

  @Test
  void documentThatIsNotAMappingIsRejected() {
    InputStream in = new ByteArrayInputStream("- just\n- a list\n".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> new ContractReader().read("list.yaml", in))
        .isInstanceOfSatisfying(ContractException.class, e -> assertThat(e.problems())
            .singleElement().satisfies(p -> assertThat(p.message()).contains("does not hold a YAML mapping")));
  }

  @Test
  void missingFileIsReported(@TempDir Path dir) {
    Path file = dir.resolve("model-contract.yaml");

    assertThatThrownBy(() -> new ContractReader().read(file))
        .isInstanceOfSatisfying(ContractException.class, e -> {
          assertThat(e.file()).isEqualTo(file.toString());
          assertThat(e.problems()).singleElement()
              .satisfies(p -> assertThat(p.message()).isEqualTo("the file does not exist"));
        });
  }

  @Test
  void statsLengthMustMatchLastFixedDim() {
    ContractException e = failureOf("stats-length.yaml");

    ContractProblem mean = problemAt(e, "/inputs/0/normalize/mean");
    assertThat(mean.message()).isEqualTo("input 'x' has 2 features on axis 1 but 3 values of mean");
    assertThat(mean.suggestion()).isEqualTo("give exactly 2 values, or one number for every feature");
    assertThat(mean.location()).startsWith("stats-length.yaml:13:");
    ContractProblem std = problemAt(e, "/inputs/0/normalize/std");
    assertThat(std.message()).isEqualTo("input 'x' has 2 features on axis 1 but 3 values of std");
    assertThat(std.location()).startsWith("stats-length.yaml:14:");
  }

  @Test
  void undeclaredDimNameIsReported() {
    ContractException e = failureOf("undeclared-dim.yaml");

    assertThat(e.problems()).hasSize(1);
    ContractProblem problem = problemAt(e, "/inputs/0/shape/1");
    assertThat(problem.message()).contains("'S'").contains("not declared under dims");
    assertThat(problem.location()).startsWith("undeclared-dim.yaml:11:");
  }

  @Test
  void batchDimMustBeTheFirstAxis() {
    ContractException e = failureOf("batch-not-first.yaml");

    assertThat(problemAt(e, "/inputs/0/shape/0").message())
        .contains("starts with T").contains("batch dim is 'batch'");
    assertThat(problemAt(e, "/inputs/0/shape/1").message()).contains("uses the batch dim 'batch' on axis 1");
    assertThat(problemAt(e, "/inputs/0/shape/0").location()).startsWith("batch-not-first.yaml:12:");
  }

  @Test
  void concatOfUnknownInputIsReported() {
    ContractException e = failureOf("concat-unknown-input.yaml");

    assertThat(e.problems()).hasSize(1);
    ContractProblem problem = problemAt(e, "/forward/arguments/0/concat/1");
    assertThat(problem.message()).contains("'z'").contains("not declared under inputs");
    assertThat(problem.suggestion()).contains("[x]");
    assertThat(problem.location()).startsWith("concat-unknown-input.yaml:14:");
  }

  @Test
  void inputNotPassedToForwardIsReported() {
    ContractException e = failureOf("input-not-passed.yaml");

    assertThat(e.problems()).hasSize(1);
    ContractProblem problem = problemAt(e, "/forward/arguments");
    assertThat(problem.message()).isEqualTo("the input 'w' is not passed to forward");
    assertThat(problem.location()).matches("input-not-passed\\.yaml:1[67]:\\d+");
  }

  @Test
  void twoOutputsMayReadTheSameTuplePosition() throws Exception {
    ModelContract contract = readFixture("duplicate-output-index.yaml");

    assertThat(contract.outputs()).extracting(OutputSpec::index).containsExactly(Optional.of(0), Optional.of(0));
  }

  @Test
  void exceptionMessageListsEveryProblem() {
    ContractException e = failureOf("batch-not-first.yaml");

    assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(e.getMessage())
        .startsWith("The model contract batch-not-first.yaml has " + e.problems().size() + " problems:\n");
    for (ContractProblem problem : e.problems()) {
      assertThat(e.getMessage()).contains(problem.toString());
    }
  }

  @Test
  void problemToStringNamesLocationPointerMessageAndSuggestion() {
    ContractProblem problem = new ContractProblem("f.yaml:3:5", "/inputs/0", "bad", "fix it");

    assertThat(problem).hasToString("f.yaml:3:5 (/inputs/0): bad, perhaps you should fix it");
    assertThat(new ContractProblem("f.yaml", "", "bad", "fix it"))
        .hasToString("f.yaml (/): bad, perhaps you should fix it");
  }

  @Test
  void singleProblemMessageUsesSingular() {
    ContractException e = new ContractException("f.yaml", List.of(new ContractProblem("f.yaml:1:1", "/x", "m", "s")));

    assertThat(e.getMessage()).isEqualTo("The model contract f.yaml has 1 problem:\n  f.yaml:1:1 (/x): m, perhaps you should s");
  }

  @Test
  void readerAcceptsContractWrittenToDisk(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(ContractReader.FILE_NAME);
    try (InputStream in = ContractReaderTest.class.getResourceAsStream("/contracts/undeclared-dim.yaml")) {
      Files.copy(in, file);
    }

    assertThatThrownBy(() -> new ContractReader().read(file))
        .isInstanceOfSatisfying(ContractException.class, e -> assertThat(e.problems()).singleElement()
            .satisfies(p -> assertThat(p.location()).startsWith(file + ":11:")));
  }
}
