package dev.modelcontract.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.FloatTensor;
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
  void examplePairsLoadInNameOrderWithTheirDescriptionsAndTensors() throws IOException {
    List<GoldenCase> cases = GoldenCase.loadAll(ExampleModel.GOLDEN_DIR);

    assertThat(cases).extracting(GoldenCase::name).containsExactly("batched", "single-step", "unbatched");
    GoldenCase unbatched = cases.get(2);
    assertThat(unbatched.description()).isEqualTo("one sequence of 20 steps, sent without the batch axis");
    assertThat(unbatched.request().keySet()).containsExactly("input_1", "input_2");
    assertThat(unbatched.request().get("input_1").shape()).containsExactly(20, 4);
    assertThat(unbatched.request().get("input_2").shape()).containsExactly(20, 2);
    assertThat(unbatched.response().keySet()).containsExactly("output_1", "output_2");
    assertThat(unbatched.response().get("output_1").shape()).containsExactly(1);
    assertThat(unbatched.response().get("output_1").values()).containsExactly(99.99121856689453f);
    assertThat(unbatched.response().get("output_2").values())
        .containsExactly(0.1392260044813156f, 0.16247743368148804f, -0.02128918468952179f);
  }

  @Test
  void requestBodyIsTheRequestObjectAlone() throws IOException {
    write("pair.json", "{\"request\": {\"input_1\": [[1, 2.5]]}, \"response\": {\"output_1\": [3]}}");

    GoldenCase golden = GoldenCase.load(dir.resolve("pair.json"));

    assertThat(new String(golden.requestBody(), StandardCharsets.UTF_8))
        .isEqualTo("{\"input_1\":[[1,2.5]]}");
  }

  @Test
  void requestIsDecodedAfreshOnEachCallSoServingOneCopyLeavesTheNextIntact() throws IOException {
    write("pair.json", "{\"request\": {\"input_1\": [[1, 2]]}, \"response\": {\"output_1\": [3]}}");
    GoldenCase golden = GoldenCase.load(dir.resolve("pair.json"));

    Map<String, FloatTensor> first = golden.request();
    first.get("input_1").values()[0] = 99f;
    Map<String, FloatTensor> second = golden.request();

    assertThat(second.get("input_1").values()).containsExactly(1f, 2f);
    assertThat(second.get("input_1").shape()).containsExactly(1, 2);
  }

  @Test
  void descriptionDefaultsToTheFileName() throws IOException {
    write("plain.json", "{\"request\": {\"input_1\": [1]}, \"response\": {\"output_1\": [3]}}");

    assertThat(GoldenCase.load(dir.resolve("plain.json")).description()).isEqualTo("plain");
  }

  @Test
  void missingFolderHoldsNoCases() throws IOException {
    assertThat(GoldenCase.loadAll(dir.resolve("no-such-folder"))).isEmpty();
  }

  @Test
  void onlyJsonFilesOfTheFolderAreCases() throws IOException {
    write("b.json", "{\"request\": {\"input_1\": [1]}, \"response\": {\"output_1\": [3]}}");
    write("a.json", "{\"request\": {\"input_1\": [2]}, \"response\": {\"output_1\": [4]}}");
    write("README.md", "not a pair");

    assertThat(GoldenCase.loadAll(dir)).extracting(GoldenCase::name).containsExactly("a", "b");
  }

  @Test
  void fileWithoutResponseIsAnErrorNamingTheFile() throws IOException {
    Path file = write("no-response.json", "{\"request\": {\"input_1\": [1]}}");

    assertThatThrownBy(() -> GoldenCase.loadAll(dir))
        .isInstanceOf(IOException.class)
        .hasMessage(file + " must hold the objects \"request\" and \"response\"");
  }

  @Test
  void responseThatIsNotATensorIsAnErrorWithItsPointer() throws IOException {
    Path file = write("ragged.json", "{\"request\": {\"input_1\": [1]}, \"response\": {\"output_1\": [[1, 2], [3]]}}");

    assertThatThrownBy(() -> GoldenCase.load(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(file + ": the response at /response/output_1/1 is not a tensor: ragged array");
  }

  @Test
  void requestThatIsNotATensorIsAnErrorWithItsPointer() throws IOException {
    Path file = write("text.json", "{\"request\": {\"input_1\": [[\"high\"]]}, \"response\": {\"output_1\": [1]}}");

    assertThatThrownBy(() -> GoldenCase.load(file))
        .isInstanceOf(IOException.class)
        .hasMessage(file + ": the request at /request/input_1/0/0 is not a tensor: expected a number or an array,"
            + " found a string");
  }

  @Test
  void fileThatIsNotJsonIsAnErrorNamingTheFile() throws IOException {
    Path file = write("broken.json", "{\"request\": {");

    assertThatThrownBy(() -> GoldenCase.load(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(file + " is not valid JSON: ");
  }
}
