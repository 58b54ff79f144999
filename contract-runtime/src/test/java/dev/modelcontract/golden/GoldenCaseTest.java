package dev.modelcontract.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.DType;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.BooleanTensor;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.ElementType;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.StringTensor;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.GoldenReplay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenCaseTest {

  @TempDir
  Path dir;

  private Path write(String file, String json) throws IOException {
    return Files.writeString(dir.resolve(file), json);
  }

  @Test
  void examplePairsLoadInNameOrderWithTheirDescriptionsAndTensors() throws Exception {
    List<GoldenCase> cases = GoldenCase.loadAll(ExampleModel.LSTM_TWO_INPUTS.goldenDir());

    assertThat(cases).extracting(GoldenCase::name).containsExactly("batched", "single-step", "unbatched");
    GoldenCase unbatched = cases.get(2);
    assertThat(unbatched.description()).isEqualTo("one sequence of 20 steps, sent without the batch axis");
    Map<String, Tensor> request = unbatched.request(new JsonTensorReader());
    assertThat(request.keySet()).containsExactly("input_1", "input_2");
    assertThat(request.get("input_1").shape()).containsExactly(20, 4);
    assertThat(request.get("input_2").shape()).containsExactly(20, 2);
    assertThat(unbatched.response().keySet()).containsExactly("output_1", "output_2");
    assertThat(unbatched.response().get("output_1").shape()).containsExactly(1);
    assertThat(((DoubleTensor) unbatched.response().get("output_1")).values()).containsExactly(99.99121856689453);
    assertThat(((DoubleTensor) unbatched.response().get("output_2")).values())
        .containsExactly(0.1392260044813156, 0.16247743368148804, -0.02128918468952179);
  }

  @Test
  void labelsInAResponseAreDecodedAsStrings() throws Exception {
    GoldenCase golden = GoldenCase.load(ExampleModel.TOKEN_CLASSIFIER.goldenDir().resolve("unbatched-default-mask.json"));

    StringTensor topic = (StringTensor) golden.response().get("topic");
    assertThat(topic.shape()).isEmpty();
    assertThat(topic.values()).containsExactly("politics");
    assertThat(golden.response().get("scores")).isInstanceOf(DoubleTensor.class);
  }

  @Test
  void requestIsDecodedByTheGivenReaderWithItsDTypes() throws Exception {
    write("pair.json", "{\"request\": {\"tokens\": [[1, 9007199254740993]], \"mask\": [[true, false]]},"
        + " \"response\": {\"topic\": [\"arts\"]}}");
    GoldenCase golden = GoldenCase.load(dir.resolve("pair.json"));
    JsonTensorReader reader = new JsonTensorReader(Map.of("tokens", new ElementType(DType.INT64, false),
        "mask", new ElementType(DType.BOOL, false)));

    Map<String, Tensor> request = golden.request(reader);

    assertThat(((LongTensor) request.get("tokens")).values()).containsExactly(1L, 9007199254740993L);
    assertThat(((BooleanTensor) request.get("mask")).values()).containsExactly(true, false);
  }

  @Test
  void requestThatBreaksTheGivenReadersDTypesFailsNamingTheValue() throws Exception {
    write("fraction.json", "{\"request\": {\"tokens\": [[1.5]]}, \"response\": {\"topic\": [\"arts\"]}}");
    GoldenCase golden = GoldenCase.load(dir.resolve("fraction.json"));

    assertThatThrownBy(() -> golden.request(new JsonTensorReader(Map.of("tokens",
        new ElementType(DType.INT64, false)))))
        .isInstanceOf(ContractViolation.class)
        .hasMessage("'tokens' at /tokens/0/0: expected an int64 integer from -9223372036854775808 to"
            + " 9223372036854775807, but got 1.5, not an integer");
  }

  @Test
  void requestBodyIsTheRequestObjectAlone() throws Exception {
    write("pair.json", "{\"request\": {\"input_1\": [[1, 2.5]]}, \"response\": {\"output_1\": [3]}}");

    GoldenCase golden = GoldenCase.load(dir.resolve("pair.json"));

    assertThat(new String(golden.requestBody(), StandardCharsets.UTF_8))
        .isEqualTo("{\"input_1\":[[1,2.5]]}");
  }

  @Test
  void requestIsDecodedAfreshOnEachCallSoServingOneCopyLeavesTheNextIntact() throws Exception {
    write("pair.json", "{\"request\": {\"input_1\": [[1, 2]]}, \"response\": {\"output_1\": [3]}}");
    GoldenCase golden = GoldenCase.load(dir.resolve("pair.json"));

    JsonTensorReader reader = new JsonTensorReader(Map.of("input_1", new ElementType(DType.FLOAT32, false)));

    Map<String, Tensor> first = golden.request(reader);
    ((FloatTensor) first.get("input_1")).values()[0] = 99f;
    Map<String, Tensor> second = golden.request(reader);

    assertThat(((FloatTensor) second.get("input_1")).values()).containsExactly(1f, 2f);
    assertThat(second.get("input_1").shape()).containsExactly(1, 2);
  }

  @Test
  void descriptionDefaultsToTheFileName() throws Exception {
    write("plain.json", "{\"request\": {\"input_1\": [1]}, \"response\": {\"output_1\": [3]}}");

    assertThat(GoldenCase.load(dir.resolve("plain.json")).description()).isEqualTo("plain");
  }

  @Test
  void aCaseWithItsOwnToleranceIsHeldToItAndTheOthersToTheOneGiven() throws Exception {
    write("loose.json", "{\"tolerance\": 1e-2, \"request\": {\"input_1\": [1]}, \"response\": {\"output_1\": [3.0]}}");
    write("tight.json", "{\"tolerance\": 1e-9, \"request\": {\"input_1\": [1]}, \"response\": {\"output_1\": [3.0]}}");
    write("plain.json", "{\"request\": {\"input_1\": [1]}, \"response\": {\"output_1\": [3.0]}}");
    Map<String, Tensor> offBy1e5 = Map.of("output_1", new DoubleTensor(new long[] {1}, new double[] {3.00004}));
    List<GoldenCase> cases = GoldenCase.loadAll(dir);

    assertThat(cases).extracting(golden -> golden.toleranceOr(1e-4)).containsExactly(1e-2, 1e-4, 1e-9);
    assertThat(cases).extracting(golden -> GoldenReplay.result(golden.name(), golden, offBy1e5, 1e-4, 0).passed())
        .containsExactly(true, true, false);
    assertThat(GoldenReplay.result("tight", cases.get(2), offBy1e5, 1e-4, 0).detail())
        .contains("differ beyond tolerance 1.0e-09");
  }

  @Test
  void aToleranceThatIsNotAFractionIsAnErrorNamingTheFile() throws Exception {
    Path file = write("percent.json",
        "{\"tolerance\": 5, \"request\": {\"input_1\": [1]}, \"response\": {\"output_1\": [3]}}");

    assertThatThrownBy(() -> GoldenCase.load(file))
        .isInstanceOf(IOException.class)
        .hasMessage(file + ": \"tolerance\" must be a number between 0 and 1, relative to 1 + |expected| (e.g. 1e-4),"
            + " not 5");
  }

  @Test
  void missingFolderHoldsNoCases() throws Exception {
    assertThat(GoldenCase.loadAll(dir.resolve("no-such-folder"))).isEmpty();
  }

  @Test
  void onlyJsonFilesOfTheFolderAreCases() throws Exception {
    write("b.json", "{\"request\": {\"input_1\": [1]}, \"response\": {\"output_1\": [3]}}");
    write("a.json", "{\"request\": {\"input_1\": [2]}, \"response\": {\"output_1\": [4]}}");
    write("README.md", "not a pair");

    assertThat(GoldenCase.loadAll(dir)).extracting(GoldenCase::name).containsExactly("a", "b");
  }

  @Test
  void fileWithoutResponseIsAnErrorNamingTheFile() throws Exception {
    Path file = write("no-response.json", "{\"request\": {\"input_1\": [1]}}");

    assertThatThrownBy(() -> GoldenCase.loadAll(dir))
        .isInstanceOf(IOException.class)
        .hasMessage(file + " must hold the objects \"request\" and \"response\"");
  }

  @Test
  void responseThatIsNotATensorIsAnErrorWithItsPointer() throws Exception {
    Path file = write("ragged.json", "{\"request\": {\"input_1\": [1]}, \"response\": {\"output_1\": [[1, 2], [3]]}}");

    assertThatThrownBy(() -> GoldenCase.load(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(file + ": the response at /response/output_1/1 is not a tensor: ragged array");
  }

  @Test
  void requestThatIsNotATensorIsAnErrorWithItsPointer() throws Exception {
    Path file = write("mixed.json", "{\"request\": {\"input_1\": [[1, \"high\"]]}, \"response\": {\"output_1\": [1]}}");

    assertThatThrownBy(() -> GoldenCase.load(file))
        .isInstanceOf(IOException.class)
        .hasMessage(file + ": the request at /request/input_1/0/1 is not a tensor: 'input_1' mixes value types:"
            + " the string \"high\"");
  }

  @Test
  void fileThatIsNotJsonIsAnErrorNamingTheFile() throws Exception {
    Path file = write("broken.json", "{\"request\": {");

    assertThatThrownBy(() -> GoldenCase.load(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(file + " is not valid JSON: ");
  }
}
