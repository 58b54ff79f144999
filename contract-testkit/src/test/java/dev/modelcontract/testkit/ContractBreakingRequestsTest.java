package dev.modelcontract.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.enforcement.BoundRequest;
import dev.modelcontract.enforcement.InputBinder;
import dev.modelcontract.hosting.SageMakerHosting;
import dev.modelcontract.tensors.BooleanTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import dev.modelcontract.validation.Check;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The probes for each example contract, checked against the runtime's own decoding and binding: a probe the server
 * must refuse with 422 is one the typed reader or the binder rejects, naming the same input; a 400 probe is one
 * that is not JSON at all.
 */
class ContractBreakingRequestsTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
  private static final String LSTM = "lstm-two-inputs";
  private static final String TWO_ARGS = "two-args-dict";
  private static final String TOKENS = "token-classifier";
  private static final String HOUSES = "house-prices";

  private static final Map<String, ModelContract> CONTRACTS = new HashMap<>();

  @BeforeAll
  static void readTheExamples() throws Exception {
    for (String example : List.of(LSTM, TWO_ARGS, TOKENS, HOUSES)) {
      CONTRACTS.put(example, new ContractReader().read(contractFile(example)));
    }
  }

  private static Path contractFile(String example) {
    return EXAMPLES.resolve(example).resolve("model").resolve(ContractReader.FILE_NAME);
  }

  private static List<ProbeRequest> probes(String example) {
    return ContractBreakingRequests.of(CONTRACTS.get(example));
  }

  private static ProbeRequest probe(List<ProbeRequest> probes, String name) {
    return probes.stream().filter(probe -> probe.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no probe '" + name + "' among " + probes.stream()
            .map(ProbeRequest::name).toList()));
  }

  private static ProbeRequest probe(String example, String name) {
    return probe(probes(example), name);
  }

  /** Decodes the body as the server does: each input by its declared dtype. */
  private static Map<String, Tensor> decode(ModelContract contract, ProbeRequest probe) throws Exception {
    return JsonTensorReader.forInputs(contract).read(new ByteArrayInputStream(probe.body()));
  }

  private static Map<String, Tensor> decode(String example, String probe) throws Exception {
    return decode(CONTRACTS.get(example), probe(example, probe));
  }

  /** Which stage of the runtime refused a probe, and the input its exception names. */
  record Refusal(String by, String input) {}

  private static Refusal refusal(ModelContract contract, ProbeRequest probe) throws Exception {
    Map<String, Tensor> request;
    try {
      request = decode(contract, probe);
    } catch (ContractViolation e) {
      return new Refusal("reader", e.input());
    }
    try {
      new InputBinder(contract).bind(request);
    } catch (ContractViolation e) {
      return new Refusal("binder", e.input());
    }
    throw new AssertionError("the runtime accepted " + probe.name());
  }

  @Test
  void lstmExampleGetsSevenProbesPerInputDisagreeingDimsEachDimOverItsMaxAndFiveForTheWholeRequest() {
    assertThat(probes(LSTM)).extracting(ProbeRequest::name, ProbeRequest::status, ProbeRequest::input)
        .containsExactly(
            tuple("a request without 'input_1'", 422, "input_1"),
            tuple("'input_1' with 5 values on its last axis instead of 4", 422, "input_1"),
            tuple("'input_1' with an extra axis (rank 4)", 422, "input_1"),
            tuple("'input_1' holding strings (float32)", 422, "input_1"),
            tuple("'input_1' holding booleans (float32)", 422, "input_1"),
            tuple("'input_1' holding a number beyond float32's range (float32)", 422, "input_1"),
            tuple("'input_1' holding NaN, which it does not allow", 422, "input_1"),
            tuple("a request without 'input_2'", 422, "input_2"),
            tuple("'input_2' with 3 values on its last axis instead of 2", 422, "input_2"),
            tuple("'input_2' with an extra axis (rank 4)", 422, "input_2"),
            tuple("'input_2' holding strings (float32)", 422, "input_2"),
            tuple("'input_2' holding booleans (float32)", 422, "input_2"),
            tuple("'input_2' holding a number beyond float32's range (float32)", 422, "input_2"),
            tuple("'input_2' holding NaN, which it does not allow", 422, "input_2"),
            tuple("'input_2' with T = 3 where 'input_1' has 2", 422, "input_2"),
            tuple("'input_2' with batch = 3 where 'input_1' has 2", 422, "input_2"),
            tuple("'input_1' and 'input_2' with batch = 65, one over its max (1 <= batch <= 64)", 422, "input_1"),
            tuple("'input_1' and 'input_2' with T = 513, one over its max (1 <= T <= 512)", 422, "input_1"),
            tuple("a request with an input the contract does not declare", 422, "not_an_input"),
            tuple("a body that is not JSON", 400, null),
            tuple("a body one byte over 6291456 bytes", 413, null),
            tuple("an application/xml body", 415, null),
            tuple("Accept: text/csv only", 406, null));
  }

  @Test
  void twoArgsDictExampleWidensEachInputsOwnFixedLastAxis() {
    assertThat(probes(TWO_ARGS)).extracting(ProbeRequest::name, ProbeRequest::status, ProbeRequest::input)
        .containsExactly(
            tuple("a request without 'prices'", 422, "prices"),
            tuple("'prices' with 4 values on its last axis instead of 3", 422, "prices"),
            tuple("'prices' with an extra axis (rank 4)", 422, "prices"),
            tuple("'prices' holding strings (float32)", 422, "prices"),
            tuple("'prices' holding booleans (float32)", 422, "prices"),
            tuple("'prices' holding a number beyond float32's range (float32)", 422, "prices"),
            tuple("'prices' holding NaN, which it does not allow", 422, "prices"),
            tuple("a request without 'volume'", 422, "volume"),
            tuple("'volume' with 2 values on its last axis instead of 1", 422, "volume"),
            tuple("'volume' with an extra axis (rank 4)", 422, "volume"),
            tuple("'volume' holding strings (float32)", 422, "volume"),
            tuple("'volume' holding booleans (float32)", 422, "volume"),
            tuple("'volume' holding a number beyond float32's range (float32)", 422, "volume"),
            tuple("'volume' holding NaN, which it does not allow", 422, "volume"),
            tuple("'volume' with T = 3 where 'prices' has 2", 422, "volume"),
            tuple("'volume' with batch = 3 where 'prices' has 2", 422, "volume"),
            tuple("'prices' and 'volume' with batch = 33, one over its max (1 <= batch <= 32)", 422, "prices"),
            tuple("'prices' and 'volume' with T = 129, one over its max (2 <= T <= 128)", 422, "prices"),
            tuple("'prices' and 'volume' with T = 1, one under its min (2 <= T <= 128)", 422, "prices"),
            tuple("a request with an input the contract does not declare", 422, "not_an_input"),
            tuple("a body that is not JSON", 400, null),
            tuple("a body one byte over 6291456 bytes", 413, null),
            tuple("an application/xml body", 415, null),
            tuple("Accept: text/csv only", 406, null));
  }

  @Test
  void tokenClassifierGetsFractionsAndBothEndsOfTheVocabularyForItsTokensAndProbesItsOptionalMaskOnlyWhenSent() {
    assertThat(probes(TOKENS)).extracting(ProbeRequest::name, ProbeRequest::status, ProbeRequest::input)
        .containsExactly(
            tuple("a request without 'tokens'", 422, "tokens"),
            tuple("'tokens' with an extra axis (rank 3)", 422, "tokens"),
            tuple("'tokens' holding fractions (int64)", 422, "tokens"),
            tuple("'tokens' holding strings (int64)", 422, "tokens"),
            tuple("'tokens' holding booleans (int64)", 422, "tokens"),
            tuple("'tokens' holding a number above int64's range (int64)", 422, "tokens"),
            tuple("'tokens' with the value -1, below its range (from 0 to 49)", 422, "tokens"),
            tuple("'tokens' with the value 50, above its range (from 0 to 49)", 422, "tokens"),
            tuple("'mask' with an extra axis (rank 3)", 422, "mask"),
            tuple("'mask' holding numbers (bool)", 422, "mask"),
            tuple("'mask' holding strings (bool)", 422, "mask"),
            tuple("'tokens' with batch = 17, one over its max (1 <= batch <= 16)", 422, "tokens"),
            tuple("'tokens' with T = 65, one over its max (1 <= T <= 64)", 422, "tokens"),
            tuple("a request with an input the contract does not declare", 422, "not_an_input"),
            tuple("a body that is not JSON", 400, null),
            tuple("a body one byte over 6291456 bytes", 413, null),
            tuple("an application/xml body", 415, null),
            tuple("Accept: text/csv only", 406, null));
  }

  @Test
  void requiredBoolInputGetsANumbersProbeThatTheReaderRefuses() throws Exception {
    String yaml = Files.readString(contractFile(TOKENS)).replaceFirst("\n *default: true[^\n]*", "");
    ModelContract required = new ContractReader().read("required-mask.yaml",
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    List<ProbeRequest> probes = ContractBreakingRequests.of(required);

    assertThat(required.input("mask").orElseThrow().optional()).isFalse();
    assertThat(probes).extracting(ProbeRequest::name).contains(
        "a request without 'mask'",
        "'mask' with an extra axis (rank 3)",
        "'mask' holding numbers (bool)");
    ContractViolation refused = catchThrowableOfType(ContractViolation.class,
        () -> decode(required, probe(probes, "'mask' holding numbers (bool)")));
    assertThat(refused).isNotNull();
    assertThat(refused.input()).isEqualTo("mask");
    assertThat(refused.pointer()).isEqualTo("/mask/0/0");
    assertThat(refused.expected()).isEqualTo("true or false");
    assertThat(refused.actual()).isEqualTo("the value 1");
    for (ProbeRequest probe : probes.stream().filter(probe -> probe.status() == 422).toList()) {
      assertThat(refusal(required, probe)).as(probe.name()).extracting(Refusal::input).isEqualTo(probe.input());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {LSTM, TWO_ARGS, TOKENS, HOUSES})
  void everyUnprocessableProbeIsRefusedForTheInputItNames(String example) throws Exception {
    ModelContract contract = CONTRACTS.get(example);
    List<ProbeRequest> unprocessable = probes(example).stream().filter(probe -> probe.status() == 422).toList();

    assertThat(unprocessable).isNotEmpty();
    for (ProbeRequest probe : unprocessable) {
      // values of the wrong type and names the contract lacks are refused by the reader, where they stand
      String by = probe.name().contains(" holding ") || probe.name().contains("does not declare") ? "reader"
          : "binder";
      assertThat(refusal(contract, probe)).as(probe.name()).isEqualTo(new Refusal(by, probe.input()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {LSTM, TWO_ARGS, TOKENS})
  void wrongTypeProbesAreRefusedAtTheirFirstValueWithTheDeclaredType(String example) throws Exception {
    ModelContract contract = CONTRACTS.get(example);

    for (InputSpec input : contract.inputs().stream().filter(input -> !input.optional()).toList()) {
      ProbeRequest probe = probes(example).stream()
          .filter(candidate -> candidate.name().startsWith("'" + input.name() + "' holding ")).findFirst()
          .orElseThrow(() -> new AssertionError("no wrong-type probe for " + input.name()));
      ContractViolation refused = catchThrowableOfType(ContractViolation.class, () -> decode(contract, probe));

      assertThat(refused).as(probe.name()).isNotNull();
      assertThat(refused.input()).isEqualTo(input.name());
      assertThat(refused.pointer()).isEqualTo("/" + input.name() + "/0".repeat(input.shape().rank()));
      assertThat(refused.expected()).contains(input.dtype().toString());
    }
  }

  @Test
  void refusedValueProbesHoldStringsBooleansAndOutOfRangeNumbersForFloatsAndFractionsForIntegers() throws Exception {
    ContractViolation strings = catchThrowableOfType(ContractViolation.class,
        () -> decode(TWO_ARGS, "'volume' holding strings (float32)"));
    ContractViolation booleans = catchThrowableOfType(ContractViolation.class,
        () -> decode(TWO_ARGS, "'volume' holding booleans (float32)"));
    ContractViolation beyond = catchThrowableOfType(ContractViolation.class,
        () -> decode(TWO_ARGS, "'volume' holding a number beyond float32's range (float32)"));
    ContractViolation fractions = catchThrowableOfType(ContractViolation.class,
        () -> decode(TOKENS, "'tokens' holding fractions (int64)"));
    ContractViolation above = catchThrowableOfType(ContractViolation.class,
        () -> decode(TOKENS, "'tokens' holding a number above int64's range (int64)"));

    assertThat(strings.actual()).isEqualTo("the string \"high\"");
    assertThat(booleans.actual()).isEqualTo("the boolean true");
    assertThat(beyond.actual()).contains("6.8");
    assertThat(fractions.actual()).isEqualTo("0.5, not an integer");
    assertThat(above.actual()).contains("1.8446744073709552E19");
  }

  @ParameterizedTest
  @ValueSource(strings = {LSTM, TWO_ARGS, TOKENS})
  void missingInputProbeHoldsEveryOtherRequiredInput(String example) throws Exception {
    List<String> required = CONTRACTS.get(example).inputs().stream().filter(input -> !input.optional())
        .map(InputSpec::name).toList();

    for (String name : required) {
      assertThat(decode(example, "a request without '" + name + "'").keySet()).as("without " + name)
          .containsExactlyElementsOf(required.stream().filter(other -> !other.equals(name)).toList());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {LSTM, TWO_ARGS, TOKENS})
  void badRequestProbeFailsToDecodeAsJson(String example) {
    List<ProbeRequest> malformed = probes(example).stream().filter(probe -> probe.status() == 400).toList();

    assertThat(malformed).extracting(ProbeRequest::name).containsExactly("a body that is not JSON");
    TensorFormatException refused = catchThrowableOfType(TensorFormatException.class,
        () -> decode(CONTRACTS.get(example), malformed.get(0)));
    assertThat(refused).isNotNull().isNotInstanceOf(ContractViolation.class);
    assertThat(refused.getMessage()).startsWith("the body is not valid JSON: ");
    assertThat(refused.pointer()).isEmpty();
  }

  @Test
  void widenedProbeHasOneMoreValueOnTheLastAxisOnly() throws Exception {
    Map<String, Tensor> request = decode(LSTM, "'input_1' with 5 values on its last axis instead of 4");

    assertThat(request.get("input_1").shape()).containsExactly(2, 2, 5);
    assertThat(request.get("input_2").shape()).containsExactly(2, 2, 2);
    assertThat(decode(LSTM, "'input_2' with 3 values on its last axis instead of 2").get("input_2").shape())
        .containsExactly(2, 2, 3);
    assertThat(decode(TWO_ARGS, "'volume' with 2 values on its last axis instead of 1").get("volume").shape())
        .containsExactly(2, 2, 2);
  }

  @Test
  void widenedProbeRepeatsTheLastValueOfEachRow() throws Exception {
    float[] widened = ((FloatTensor) decode(LSTM, "'input_1' with 5 values on its last axis instead of 4")
        .get("input_1")).values();
    float[] valid = ((FloatTensor) decode(LSTM, "an application/xml body").get("input_1")).values();

    assertThat(widened).hasSize(2 * 2 * 5);
    for (int row = 0; row < widened.length / 5; row++) {
      for (int feature = 0; feature < 4; feature++) {
        assertThat(widened[row * 5 + feature]).as("row %d, feature %d", row, feature)
            .isEqualTo(valid[row * 4 + feature]);
      }
      assertThat(widened[row * 5 + 4]).as("row %d", row).isEqualTo(widened[row * 5 + 3]);
    }
  }

  @Test
  void extraAxisProbeAddsAFirstAxisOfSizeOne() throws Exception {
    assertThat(decode(LSTM, "'input_1' with an extra axis (rank 4)").get("input_1").shape())
        .containsExactly(1, 2, 2, 4);
    assertThat(decode(TOKENS, "'tokens' with an extra axis (rank 3)").get("tokens").shape())
        .containsExactly(1, 2, 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {LSTM, TWO_ARGS, TOKENS})
  void mediaTypeProbesCarryAValidBodySoOnlyTheHeaderIsWrong(String example) throws Exception {
    ModelContract contract = CONTRACTS.get(example);
    ProbeRequest csv = probe(example, "an application/xml body");
    ProbeRequest accept = probe(example, "Accept: text/csv only");

    assertThat(csv.contentType()).isEqualTo("application/xml");
    assertThat(csv.accept()).isNull();
    assertThat(csv.status()).isEqualTo(415);
    assertThat(accept.contentType()).isEqualTo("application/json");
    assertThat(accept.accept()).isEqualTo("text/csv");
    assertThat(accept.status()).isEqualTo(406);
    for (ProbeRequest probe : List.of(csv, accept)) {
      BoundRequest bound = new InputBinder(contract).bind(decode(contract, probe));
      assertThat(bound.dims()).as(probe.name()).containsOnly(Map.entry("batch", 2L), Map.entry("T", 2L));
      assertThat(bound.inputs()).as(probe.name()).hasSize(contract.inputs().size());
      assertThat(bound.unbatched()).isFalse();
    }
  }

  @Test
  void validBodyOfTheTokenClassifierLeavesTheMaskToItsDefault() throws Exception {
    ModelContract contract = CONTRACTS.get(TOKENS);
    Map<String, Tensor> request = decode(TOKENS, "an application/xml body");

    assertThat(request.keySet()).containsExactly("tokens");
    Tensor mask = new InputBinder(contract).bind(request).inputs().get(1);
    assertThat(mask.shape()).containsExactly(2, 2);
    assertThat(((BooleanTensor) mask).values()).containsOnly(true);
  }

  @ParameterizedTest
  @ValueSource(strings = {LSTM, TWO_ARGS, TOKENS})
  void jsonProbesAreSentAsJsonWithoutAnAcceptHeader(String example) {
    assertThat(probes(example)).filteredOn(probe -> probe.status() == 422 || probe.status() == 400)
        .allSatisfy(probe -> {
          assertThat(probe.contentType()).isEqualTo("application/json");
          assertThat(probe.accept()).isNull();
        });
  }

  @Test
  void theNanProbeSendsTheBareTokenAndTheOversizedOneIsOneByteOverTheLimit() throws Exception {
    List<ProbeRequest> probes = probes(LSTM);

    ProbeRequest nan = probes.stream().filter(probe -> probe.name().startsWith("'input_1' holding NaN")).findFirst()
        .orElseThrow();
    assertThat(new String(nan.body(), StandardCharsets.UTF_8)).contains("[NaN,").doesNotContain("\"NaN\"");
    ProbeRequest oversized = probes.stream().filter(probe -> probe.status() == 413).findFirst().orElseThrow();
    assertThat(oversized.body()).hasSize(SageMakerHosting.MAX_BODY_BYTES + 1);
  }

  @Test
  void dimProbesResizeTheDimOnEveryInputThatHasItSoThatOnlyItsBoundIsBroken() throws Exception {
    Map<String, Tensor> overT = decode(LSTM, "'input_1' and 'input_2' with T = 513, one over its max (1 <= T <= 512)");
    Map<String, Tensor> overBatch = decode(LSTM,
        "'input_1' and 'input_2' with batch = 65, one over its max (1 <= batch <= 64)");
    Map<String, Tensor> underT = decode(TWO_ARGS,
        "'prices' and 'volume' with T = 1, one under its min (2 <= T <= 128)");

    assertThat(overT.get("input_1").shape()).containsExactly(2, 513, 4);
    assertThat(overT.get("input_2").shape()).containsExactly(2, 513, 2);
    assertThat(overBatch.get("input_1").shape()).containsExactly(65, 2, 4);
    assertThat(overBatch.get("input_2").shape()).containsExactly(65, 2, 2);
    assertThat(underT.get("prices").shape()).containsExactly(2, 1, 3);
    assertThat(underT.get("volume").shape()).containsExactly(2, 1, 1);
    ContractViolation refused = catchThrowableOfType(ContractViolation.class,
        () -> new InputBinder(CONTRACTS.get(LSTM)).bind(overT));
    assertThat(refused.input()).isEqualTo("input_1");
    assertThat(refused.expected()).isEqualTo("1 <= T <= 512 on axis 1 of shape [batch, T, 4]");
    assertThat(refused.actual()).isEqualTo("T = 513");
  }

  @Test
  void batchProbeGivesTheSecondInputOneItemMoreThanTheFirst() throws Exception {
    Map<String, Tensor> request = decode(LSTM, "'input_2' with batch = 3 where 'input_1' has 2");

    assertThat(request.get("input_1").shape()).containsExactly(2, 2, 4);
    assertThat(request.get("input_2").shape()).containsExactly(3, 2, 2);
    ContractViolation refused = catchThrowableOfType(ContractViolation.class,
        () -> new InputBinder(CONTRACTS.get(LSTM)).bind(request));
    assertThat(refused.input()).isEqualTo("input_2");
    assertThat(refused.expected()).isEqualTo("batch = 2 on axis 0, as in input 'input_1'");
    assertThat(refused.actual()).isEqualTo("batch = 3");
  }

  @Test
  void aContractOfOneInputGetsItsBatchOverItsMaxAndNoDisagreement() {
    assertThat(probes(HOUSES)).extracting(ProbeRequest::name)
        .contains("'features' with batch = 257, one over its max (1 <= batch <= 256)")
        .noneMatch(name -> name.contains(" where '"));
    assertThat(ContractBreakingRequests.unsent(CONTRACTS.get(HOUSES))).isEmpty();
  }

  @Test
  void aDimProbeWhoseBodyWouldPassTheBodyLimitIsListedAsSkippedInsteadOfSent() throws Exception {
    String limit = ", over the body limit of 6291456 bytes: it would be answered 413 before its dims are read";
    ModelContract large = imageContract(64);   // 65 images of 3 x 224 x 224: too many values to build
    ModelContract fewer = imageContract(8);    // 9 images: built, and its JSON measured

    assertThat(ContractBreakingRequests.unsent(large)).containsExactly(new ContractBreakingRequests.Unsent(
        "'image' with batch = 65, one over its max (1 <= batch <= 64)",
        "its JSON body would hold 9784320 values" + limit));
    assertThat(ContractBreakingRequests.unsent(fewer)).singleElement().satisfies(unsent -> {
      assertThat(unsent.name()).isEqualTo("'image' with batch = 9, one over its max (1 <= batch <= 8)");
      assertThat(unsent.reason()).matches("its JSON body would be \\d+ bytes" + Pattern.quote(limit));
    });
    assertThat(ContractBreakingRequests.of(large)).extracting(ProbeRequest::name)
        .noneMatch(name -> name.contains("batch = 65"));
    ConformanceSuite.Case skipped = ConformanceSuite.of(large).cases().stream()
        .filter(suiteCase -> suiteCase.name().startsWith("skips ")).findFirst().orElseThrow();
    assertThat(skipped.name()).isEqualTo("skips 'image' with batch = 65, one over its max (1 <= batch <= 64)");
    assertThat(skipped.kind()).isEqualTo(ConformanceSuite.Kind.REFUSAL);
    assertThat(skipped.run(null)).isEqualTo(Check.pass(skipped.name(),
        "not sent: its JSON body would hold 9784320 values" + limit));
  }

  private static ModelContract imageContract(long maxBatch) throws Exception {
    String yaml = """
        version: 1
        model:
          file: model.pt
        dims:
          batch: {max: %d}
        batch:
          dim: batch
        inputs:
          - name: image
            dtype: float32
            shape: [batch, 3, 224, 224]
        forward:
          arguments:
            - input: image
          returns: tensor
        outputs:
          - name: logits
            dtype: float32
            shape: [batch, 10]
        """.formatted(maxBatch);
    return new ContractReader().read("images.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }
}
