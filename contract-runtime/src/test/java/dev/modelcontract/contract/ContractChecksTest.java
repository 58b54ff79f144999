package dev.modelcontract.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.enforcement.InputBinder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules a schema cannot state: each one's pointer, line, message and suggestion. */
class ContractChecksTest {

  private static final String FILE = "checks.yaml";

  private static ModelContract read(String yaml) throws ContractException {
    return new ContractReader().read(FILE, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  private static ContractException failure(String yaml) {
    ContractException e = catchThrowableOfType(ContractException.class, () -> read(yaml));
    assertThat(e).as("the contract should be refused").isNotNull();
    return e;
  }

  /** The only problem of the contract, which must be at the pointer and on the first line holding the needle. */
  private static ContractProblem onlyProblem(String yaml, String pointer, String needle) {
    List<ContractProblem> problems = failure(yaml).problems();
    assertThat(problems).as("problems").hasSize(1);
    ContractProblem problem = problems.get(0);
    assertThat(problem.pointer()).isEqualTo(pointer);
    assertThat(problem.location()).startsWith(FILE + ":" + lineOf(yaml, needle) + ":");
    return problem;
  }

  private static int lineOf(String text, String needle) {
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(needle)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line holds " + needle);
  }

  /** A valid contract up to its outputs: x [batch, T, 2] passed as is, forward returning {@code returns}. */
  private static String withOutputs(String returns, String outputs) {
    return """
        version: 1
        model: {file: net.pt}
        dims:
          batch: {max: 8}
          T: {max: 16}
        batch: {dim: batch}
        inputs:
          - name: x
            dtype: float32
            shape: [batch, T, 2]
        forward:
          arguments:
            - input: x
          returns: %s
        outputs:
        """.formatted(returns) + outputs;
  }

  /** A valid contract around its inputs and forward arguments, with one tensor output. */
  private static String withInputs(String inputs, String arguments) {
    return """
        version: 1
        model: {file: net.pt}
        dims:
          batch: {max: 8}
          T: {max: 16}
          S: {max: 4}
        batch: {dim: batch}
        inputs:
        """ + inputs + """
        forward:
          arguments:
        """ + arguments + """
          returns: tensor
        outputs:
          - name: y
            dtype: float32
            shape: [batch, 1]
        """;
  }

  @Test
  void indexIsRefusedWhenForwardReturnsADict() {
    String yaml = withOutputs("dict", """
          - name: y
            index: 0
            dtype: float32
            shape: [batch, 3]
        """);

    ContractProblem problem = onlyProblem(yaml, "/outputs/0/index", "index: 0");

    assertThat(problem.message()).isEqualTo("output 'y' has an index, but forward returns a dict");
    assertThat(problem.suggestion()).isEqualTo("name its key instead");
  }

  @Test
  void keyIsRefusedWhenForwardReturnsATuple() {
    String yaml = withOutputs("tuple", """
          - name: y
            index: 0
            key: logits
            dtype: float32
            shape: [batch, 3]
        """);

    ContractProblem problem = onlyProblem(yaml, "/outputs/0/key", "key: logits");

    assertThat(problem.message()).isEqualTo("output 'y' has a key, but forward returns a tuple");
    assertThat(problem.suggestion()).isEqualTo("give its index instead");
  }

  @Test
  void indexAndKeyAreRefusedWhenForwardReturnsATensor() {
    String yaml = withOutputs("tensor", """
          - name: y
            key: logits
            dtype: float32
            shape: [batch, 3]
        """);

    ContractProblem problem = onlyProblem(yaml, "/outputs/0/key", "key: logits");

    assertThat(problem.message()).isEqualTo("output 'y' has a key, but forward returns a tensor");
    assertThat(problem.suggestion()).isEqualTo("remove it");
  }

  @Test
  void tupleOutputWithoutAnIndexIsRefused() {
    String yaml = withOutputs("tuple", """
          - name: y
            dtype: float32
            shape: [batch, 3]
        """);

    ContractProblem problem = onlyProblem(yaml, "/outputs/0", "- name: y");

    assertThat(problem.message()).isEqualTo("output 'y' has no index, but forward returns a tuple");
    assertThat(problem.suggestion()).isEqualTo("add index: the output's position in the tuple");
  }

  @Test
  void labelsMustBeAsManyAsTheLastAxis() {
    String yaml = withOutputs("tensor", """
          - name: y
            dtype: float32
            shape: [batch, 3]
            labels: [down, up]
        """);

    ContractProblem problem = onlyProblem(yaml, "/outputs/0/labels", "labels:");

    assertThat(problem.message()).isEqualTo("output 'y' has 3 values on its last axis but 2 labels");
    assertThat(problem.suggestion()).isEqualTo("give exactly 3 labels");
  }

  @Test
  void labelsAlongADynamicLastAxisAreRefused() {
    String yaml = withOutputs("tensor", """
          - name: y
            dtype: float32
            shape: [batch, T]
            labels: [down, up]
        """);

    ContractProblem problem = onlyProblem(yaml, "/outputs/0/labels", "labels:");

    assertThat(problem.message())
        .isEqualTo("output 'y' picks a label along its last axis, which is the dynamic dim 'T'");
  }

  @Test
  void labelsOfABoolOutputAreRefused() {
    String yaml = withOutputs("tensor", """
          - name: y
            dtype: bool
            shape: [batch, 2]
            labels: [no, yes]
        """);

    ContractProblem problem = onlyProblem(yaml, "/outputs/0/labels", "labels:");

    assertThat(problem.message()).isEqualTo("output 'y' is bool; labels pick the largest of numbers");
  }

  @Test
  void softmaxAndLabelsOnOneOutputAreRefused() {
    String yaml = withOutputs("tensor", """
          - name: y
            dtype: float32
            shape: [batch, 2]
            softmax: true
            labels: [down, up]
        """);

    ContractProblem problem = onlyProblem(yaml, "/outputs/0/labels", "labels:");

    assertThat(problem.message()).isEqualTo("output 'y' asks for both softmax and labels");
    assertThat(problem.suggestion()).isEqualTo("declare two outputs that read the same model output, one with each");
  }

  @Test
  void softmaxOfAnIntegerOutputIsRefused() {
    String yaml = withOutputs("tensor", """
          - name: y
            dtype: int64
            shape: [batch, 2]
            softmax: true
        """);

    ContractProblem problem = onlyProblem(yaml, "/outputs/0/softmax", "softmax:");

    assertThat(problem.message()).isEqualTo("output 'y' is int64; softmax needs a float dtype");
  }

  @Test
  void twoOutputsMayReadTheSameKeyOneWithLabelsOneWithSoftmax() throws ContractException {
    ModelContract contract = read(withOutputs("dict", """
          - name: regime
            key: logits
            dtype: float32
            shape: [batch, 2]
            labels: [down, up]
          - name: probability
            key: logits
            dtype: float32
            shape: [batch, 2]
            softmax: true
        """));

    assertThat(contract.outputs()).extracting(OutputSpec::dictKey).containsExactly("logits", "logits");
  }

  @Test
  void rangesMustBeOrderedHoldableAndIntegerForIntegerInputsAndAreRefusedOnBool() throws Exception {
    String inverted = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, 2]
            range: {min: 1, max: 0}
        """, """
            - input: x
        """);
    String fraction = inverted.replace("dtype: float32", "dtype: int64").replace("{min: 1, max: 0}",
        "{min: 0, max: 49.5}");
    String beyond = inverted.replace("dtype: float32", "dtype: uint8").replace("{min: 1, max: 0}",
        "{min: -1, max: 255}");
    String bool = inverted.replace("dtype: float32", "dtype: bool").replace("{min: 1, max: 0}", "{max: 1}");
    // 2^53 + 1 reads as the double 2^53: such a bound would let 2^53 + 1 through.
    String inexact = inverted.replace("dtype: float32", "dtype: int64").replace("{min: 1, max: 0}",
        "{min: 0, max: 9007199254740993}");
    String exact = inexact.replace("9007199254740993", "9007199254740991");
    String floatBound = inverted.replace("{min: 1, max: 0}", "{min: 0, max: 1.0e30}");

    assertThat(onlyProblem(inverted, "/inputs/0/range", "range:").message())
        .isEqualTo("input 'x' has a range whose min 1 is above its max 0");
    assertThat(onlyProblem(fraction, "/inputs/0/range/max", "range:").message())
        .isEqualTo("input 'x' is int64, and its range's max 49.5 is not an integer");
    assertThat(onlyProblem(beyond, "/inputs/0/range/min", "range:").message())
        .isEqualTo("input 'x' is uint8, and its range's min -1 is outside what uint8 holds");
    assertThat(onlyProblem(bool, "/inputs/0/range", "range:").message())
        .isEqualTo("input 'x' is bool, whose values are true and false");
    assertThat(onlyProblem(inexact, "/inputs/0/range/max", "range:").message()).isEqualTo("input 'x' is int64, and"
        + " its range's max is beyond ±9007199254740991 (2^53 - 1), where bounds are not compared exactly");
    assertThat(read(exact).inputs().get(0).range()).hasValue(new ValueRange(0, 9007199254740991.0));
    assertThat(read(floatBound).inputs().get(0).range()).hasValue(new ValueRange(0, 1.0e30));
  }

  @Test
  void aRangeNeedsABoundAndNothingElse() {
    String yaml = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, 2]
            range: {}
        """, """
            - input: x
        """);

    assertThat(failure(yaml).problems()).extracting(ContractProblem::pointer).containsExactly("/inputs/0/range");
    assertThat(failure(yaml.replace("range: {}", "range: {low: 0}")).problems()).isNotEmpty();
  }

  @Test
  void aDefaultOutsideItsInputsRangeIsRefused() {
    String yaml = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, 2]
          - name: level
            dtype: int64
            shape: [batch, 1]
            range: {min: 1, max: 3}
            default: 0
        """, """
            - input: x
            - input: level
        """);

    ContractException e = catchThrowableOfType(ContractException.class,
        () -> new dev.modelcontract.enforcement.InputBinder(read(yaml)));

    assertThat(e.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.pointer()).isEqualTo("/inputs/1/default");
      assertThat(problem.message()).isEqualTo("the default of input 'level' holds 0, outside its range (from 1 to 3)");
    });
  }

  @Test
  void normalizationOfAnIntegerInputIsRefused() {
    String yaml = withInputs("""
          - name: x
            dtype: int64
            shape: [batch, 2]
            normalize: {mean: [0, 0], std: [1, 1]}
        """, """
            - input: x
        """);

    ContractProblem problem = onlyProblem(yaml, "/inputs/0/normalize", "normalize:");

    assertThat(problem.message()).isEqualTo("input 'x' is int64; normalization needs a float dtype");
    assertThat(problem.suggestion()).isEqualTo("remove the normalization or correct the dtype");
  }

  @Test
  void normalizationAxisOutsideTheShapeIsRefused() {
    String yaml = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, T, 2]
            normalize:
              mean: [0, 0]
              std: [1, 1]
              axis: 3
        """, """
            - input: x
        """);

    ContractProblem problem = onlyProblem(yaml, "/inputs/0/normalize/axis", "axis: 3");

    assertThat(problem.message()).isEqualTo("input 'x' has rank 3, so it has no axis 3");
    assertThat(problem.suggestion()).isEqualTo("use an axis from -3 to 2");
    assertThat(failure(yaml.replace("axis: 3", "axis: -4")).problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo("input 'x' has rank 3, so it has no axis -4"));
  }

  @Test
  void normalizationAlongADynamicAxisIsRefused() {
    String yaml = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, T, 2]
            normalize:
              mean: [0, 0]
              std: [1, 1]
              axis: 1
        """, """
            - input: x
        """);

    // a block mapping is located at its first field
    ContractProblem problem = onlyProblem(yaml, "/inputs/0/normalize", "mean: [0, 0]");

    assertThat(problem.message())
        .isEqualTo("input 'x' is normalized per feature on axis 1, which is the dynamic dim 'T'");
  }

  @Test
  void statisticsOnANonLastAxisCountThatAxis() {
    String yaml = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, 3, T]
            normalize:
              min: [0, 0]
              max: [1, 1, 1]
              axis: -2
        """, """
            - input: x
        """);

    ContractProblem problem = onlyProblem(yaml, "/inputs/0/normalize/min", "min: [0, 0]");

    assertThat(problem.message()).isEqualTo("input 'x' has 3 features on axis 1 but 2 values of min");
    assertThat(problem.suggestion()).isEqualTo("give exactly 3 values, or one number for every feature");
  }

  @Test
  void minMaxScalingNeedsEachMaxAboveItsMin() {
    String yaml = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, 2]
            normalize:
              min: [0, 5]
              max: [1, 5]
        """, """
            - input: x
        """);

    ContractProblem problem = onlyProblem(yaml, "/inputs/0/normalize/max/1", "max: [1, 5]");

    assertThat(problem.message()).isEqualTo("input 'x' has max 5.0 not above min 5.0 for feature 1");
    assertThat(problem.suggestion()).isEqualTo("give each feature a max above its min");
  }

  @Test
  void outputDenormalizationIsCheckedLikeInputNormalization() {
    String yaml = withOutputs("tensor", """
          - name: y
            dtype: float32
            shape: [batch, 1]
            denormalize:
              min: [3]
              max: [2]
        """);

    ContractProblem problem = onlyProblem(yaml, "/outputs/0/denormalize/max/0", "max: [2]");

    assertThat(problem.message()).isEqualTo("output 'y' has max 2.0 not above min 3.0 for feature 0");
  }

  @Test
  void aStatisticListOfTheWrongLengthIsRefusedBesideASingleNumber() {
    String yaml = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, 7]
            normalize:
              mean: [1, 2, 3]
              std: 30
        """, """
            - input: x
        """);

    ContractProblem problem = onlyProblem(yaml, "/inputs/0/normalize/mean", "mean: [1, 2, 3]");

    assertThat(problem.message()).isEqualTo("input 'x' has 7 features on axis 1 but 3 values of mean");
    assertThat(problem.suggestion()).isEqualTo("give exactly 7 values, or one number for every feature");
  }

  @Test
  void aStatisticThatIsNeitherANumberNorAListOfNumbersIsRefusedAtItsLine() {
    String yaml = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, 2]
            normalize:
              mean: 0
              std: 1
        """, """
            - input: x
        """);

    assertThat(onlyProblem(yaml.replace("mean: 0", "mean: high"), "/inputs/0/normalize/mean", "mean: high")
        .message()).isEqualTo("string found, [number, array] expected");
    assertThat(onlyProblem(yaml.replace("mean: 0", "mean: []"), "/inputs/0/normalize/mean", "mean: []").message())
        .isEqualTo("must have at least 1 items but found 0");
    assertThat(onlyProblem(yaml.replace("std: 1", "std: 0"), "/inputs/0/normalize/std", "std: 0").message())
        .isEqualTo("must have an exclusive minimum value of 0");
    assertThat(onlyProblem(yaml.replace("std: 1", "std: [1, -1]"), "/inputs/0/normalize/std/1", "std: [1, -1]")
        .message()).isEqualTo("must have an exclusive minimum value of 0");
    assertThat(onlyProblem(yaml.replace("std: 1", "std: 1\n      min: 0"), "/inputs/0/normalize/min", "min: 0")
        .message()).isEqualTo("the field 'min' is not part of the contract language");
    assertThat(onlyProblem(yaml.replace("      std: 1\n", ""), "/inputs/0/normalize/std", "mean: 0")
        .message()).isEqualTo("the field 'std' is missing");
  }

  @Test
  void aSingleMaxNotAboveASingleMinIsReportedOnceAtTheMax() {
    String yaml = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, 7]
            normalize:
              min: 5
              max: 5
        """, """
            - input: x
        """);

    ContractProblem problem = onlyProblem(yaml, "/inputs/0/normalize/max", "max: 5");

    assertThat(problem.message()).isEqualTo("input 'x' has max 5.0 not above min 5.0 for feature 0");
  }

  @Test
  void aSingleNumberStatisticAlongADynamicAxisIsRefusedAsAListIs() {
    String yaml = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, T]
            normalize: {mean: 1000, std: 30}
        """, """
            - input: x
        """);

    ContractProblem problem = onlyProblem(yaml, "/inputs/0/normalize", "normalize:");

    assertThat(problem.message())
        .isEqualTo("input 'x' is normalized per feature on axis 1, which is the dynamic dim 'T'");
  }

  @Test
  void allowNonFiniteOnAnIntegerInputIsRefused() {
    String yaml = withInputs("""
          - name: x
            dtype: int32
            shape: [batch, 2]
            allowNonFinite: true
        """, """
            - input: x
        """);

    ContractProblem problem = onlyProblem(yaml, "/inputs/0/allowNonFinite", "allowNonFinite:");

    assertThat(problem.message()).isEqualTo("input 'x' is int32, which has no NaN or Infinity");
    assertThat(problem.suggestion()).isEqualTo("remove allowNonFinite or use a float dtype");
  }

  @Test
  void optionalInputWhoseDimIsInNoRequiredInputIsRefused() {
    String yaml = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, T]
          - name: m
            dtype: bool
            shape: [batch, S]
            default: true
        """, """
            - input: x
            - input: m
        """);

    ContractProblem problem = onlyProblem(yaml, "/inputs/1/default", "default: true");

    assertThat(problem.message()).isEqualTo("input 'm' is optional, but its dim 'S' appears in no required input,"
        + " so an omitted value's size is unknown");
    assertThat(problem.suggestion())
        .isEqualTo("give that axis a fixed size or make an input that has it required");
  }

  @Test
  void optionalInputWhoseDimsAreGivenByRequiredInputsIsAccepted() throws ContractException {
    ModelContract contract = read(withInputs("""
          - name: x
            dtype: float32
            shape: [batch, T]
          - name: m
            dtype: bool
            shape: [batch, T]
            default: true
        """, """
            - input: x
            - input: m
        """));

    assertThat(contract.inputs().get(1).optional()).isTrue();
  }

  @Test
  void concatenatedInputsMustShareADType() {
    String yaml = withInputs("""
          - name: a
            dtype: float32
            shape: [batch, 2]
          - name: b
            dtype: int64
            shape: [batch, 1]
        """, """
            - concat: [a, b]
        """);

    ContractProblem problem = onlyProblem(yaml, "/forward/arguments/0/concat/1", "concat: [a, b]");

    assertThat(problem.message())
        .isEqualTo("the input 'b' is int64 but 'a' is float32; concatenated inputs share one dtype");
    assertThat(problem.suggestion()).isEqualTo("give them the same dtype");
  }

  @Test
  void concatenatedInputsMustShareARank() {
    String yaml = withInputs("""
          - name: a
            dtype: float32
            shape: [batch, T, 2]
          - name: b
            dtype: float32
            shape: [batch, 2]
        """, """
            - concat: [a, b]
        """);

    ContractProblem problem = onlyProblem(yaml, "/forward/arguments/0/concat/1", "concat: [a, b]");

    assertThat(problem.message()).isEqualTo("the input 'b' has rank 2 but 'a' has rank 3");
  }

  @Test
  void concatenatedInputsMustAgreeOnEveryOtherAxis() {
    String yaml = withInputs("""
          - name: a
            dtype: float32
            shape: [batch, T, 2]
          - name: b
            dtype: float32
            shape: [batch, 4, 1]
        """, """
            - concat: [a, b]
        """);

    ContractProblem problem = onlyProblem(yaml, "/forward/arguments/0/concat/1", "concat: [a, b]");

    assertThat(problem.message()).isEqualTo("the input 'b' has shape [batch, 4, 1] and cannot be concatenated on"
        + " axis 2 with 'a' of shape [batch, T, 2]");
    assertThat(problem.suggestion()).isEqualTo("make every axis but the concatenation axis the same in both");
  }

  @Test
  void concatenationAlongADynamicAxisIsRefused() {
    String yaml = withInputs("""
          - name: a
            dtype: float32
            shape: [batch, T, 2]
          - name: b
            dtype: float32
            shape: [batch, 3, 2]
        """, """
            - concat: [a, b]
              axis: 1
        """);

    List<ContractProblem> problems = failure(yaml).problems();

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.pointer()).isEqualTo("/forward/arguments/0/concat/0");
      assertThat(problem.message())
          .isEqualTo("the input 'a' is concatenated on axis 1, which is the dynamic dim 'T'");
    });
  }

  @Test
  void concatenationAxisOutsideTheShapeIsRefused() {
    String yaml = withInputs("""
          - name: a
            dtype: float32
            shape: [batch, 2]
          - name: b
            dtype: float32
            shape: [batch, 2]
        """, """
            - concat: [a, b]
              axis: 2
        """);

    ContractProblem problem = onlyProblem(yaml, "/forward/arguments/0/axis", "axis: 2");

    assertThat(problem.message()).isEqualTo("inputs of rank 2 have no axis 2");
    assertThat(problem.suggestion()).isEqualTo("use an axis from -2 to 1");
  }

  @Test
  void stackedInputsMustShareAShape() {
    String yaml = withInputs("""
          - name: a
            dtype: float32
            shape: [batch, 2]
          - name: b
            dtype: float32
            shape: [batch, 3]
        """, """
            - stack: [a, b]
        """);

    ContractProblem problem = onlyProblem(yaml, "/forward/arguments/0/stack/1", "stack: [a, b]");

    assertThat(problem.message()).isEqualTo("the input 'b' is float32 [batch, 3] but 'a' is float32 [batch, 2];"
        + " stacked inputs share one dtype and shape");
    assertThat(problem.suggestion()).isEqualTo("give them the same dtype and shape");
  }

  @Test
  void stackedInputsMustShareADType() {
    String yaml = withInputs("""
          - name: a
            dtype: float32
            shape: [batch, 2]
          - name: b
            dtype: float64
            shape: [batch, 2]
        """, """
            - stack: [a, b]
        """);

    ContractProblem problem = onlyProblem(yaml, "/forward/arguments/0/stack/1", "stack: [a, b]");

    assertThat(problem.message()).startsWith("the input 'b' is float64 [batch, 2] but 'a' is float32 [batch, 2]");
  }

  @Test
  void stackingOnAxisZeroIsRefusedWhenTheContractHasABatchAxis() {
    String yaml = withInputs("""
          - name: a
            dtype: float32
            shape: [batch, 2]
          - name: b
            dtype: float32
            shape: [batch, 2]
        """, """
            - stack: [a, b]
              axis: 0
        """);

    ContractProblem problem = onlyProblem(yaml, "/forward/arguments/0/axis", "axis: 0");

    assertThat(problem.message()).isEqualTo("stacking on axis 0 would move the batch axis");
    assertThat(problem.suggestion()).isEqualTo("stack on an axis after the batch axis (1 or later, or negative)");
  }

  @Test
  void stackingOnAxisZeroIsAcceptedWithoutABatchAxis() throws ContractException {
    ModelContract contract = read("""
        version: 1
        model: {file: net.pt}
        inputs:
          - {name: a, dtype: float32, shape: [2]}
          - {name: b, dtype: float32, shape: [2]}
        forward:
          arguments:
            - {stack: [a, b], axis: 0}
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [1]}
        """);

    assertThat(contract.forward().arguments()).singleElement().isEqualTo(new ForwardArgument.Stack(List.of("a", "b"), 0));
  }

  @Test
  void stackingAxisBeyondTheResultsRankIsRefused() {
    String yaml = withInputs("""
          - name: a
            dtype: float32
            shape: [batch, 2]
          - name: b
            dtype: float32
            shape: [batch, 2]
        """, """
            - stack: [a, b]
              axis: 3
        """);

    ContractProblem problem = onlyProblem(yaml, "/forward/arguments/0/axis", "axis: 3");

    assertThat(problem.message()).isEqualTo("stacking inputs of rank 2 gives rank 3, which has no axis 3");
    assertThat(problem.suggestion()).isEqualTo("use an axis from -3 to 2");
  }

  @Test
  void inputPassedToForwardTwiceIsRefused() {
    String yaml = withInputs("""
          - name: x
            dtype: float32
            shape: [batch, 2]
        """, """
            - input: x
            - dict: [x]
        """);

    ContractProblem problem = onlyProblem(yaml, "/forward/arguments/1/dict/0", "dict: [x]");

    assertThat(problem.message()).isEqualTo("the input 'x' is passed to forward twice");
  }

  @Test
  void inputAndOutputNamesAreUnique() {
    ContractException e = failure("""
        version: 1
        model: {file: net.pt}
        inputs:
          - {name: x, dtype: float32, shape: [2]}
          - {name: x, dtype: float32, shape: [2]}
        forward:
          arguments: [{input: x}]
          returns: tuple
        outputs:
          - {name: y, index: 0, dtype: float32, shape: [1]}
          - {name: y, index: 1, dtype: float32, shape: [1]}
        """);

    assertThat(e.problems()).extracting(ContractProblem::pointer).contains("/inputs/1/name", "/outputs/1/name");
    assertThat(e.problems()).extracting(ContractProblem::message).contains(
        "the input name 'x' is used twice", "the output name 'y' is used twice");
  }

  @Test
  void dimBoundsMustBeOrderedAndTheBatchDimDeclared() {
    ContractException e = failure("""
        version: 1
        model: {file: net.pt}
        dims:
          T: {min: 5, max: 2}
        batch: {dim: batch}
        inputs:
          - {name: x, dtype: float32, shape: [batch, T]}
        forward:
          arguments: [{input: x}]
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [batch, 1]}
        """);

    assertThat(e.problems()).extracting(ContractProblem::pointer).contains("/dims/T", "/batch/dim");
    assertThat(e.problems()).extracting(ContractProblem::message).contains(
        "dim 'T' has min 5 above max 2", "the batch dim 'batch' is not declared under dims");
  }

  @Test
  void rankOneInputsMayAllowUnbatchedRequests() throws ContractException {
    ModelContract contract = read("""
        version: 1
        model: {file: net.pt}
        dims: {batch: {max: 8}}
        batch: {dim: batch, unbatchedRequests: true}
        inputs:
          - {name: x, dtype: float32, shape: [batch]}
        forward:
          arguments: [{input: x}]
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [batch]}
        """);

    assertThat(contract.batch()).contains(new BatchSpec("batch", true));
  }
}
