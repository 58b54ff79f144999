package dev.modelcontract.draft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.DType;
import dev.modelcontract.inference.ModelArgument;
import dev.modelcontract.tensors.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleRequestTest {

  @TempDir
  Path dir;

  @Test
  void eachArrayGetsTheDtypeTorchTensorGivesItsValues() throws Exception {
    Path file = Files.writeString(dir.resolve("request.json"),
        "{\"store_id\": [3, 7], \"history\": [[0.5, 1], [2, 3e0]], \"open\": [true, false]}");

    SampleRequest sample = SampleRequest.read(file);

    assertThat(sample.inputs().keySet()).containsExactly("store_id", "history", "open");
    assertThat(sample.inputs().values()).extracting(ModelArgument.Single::dtype)
        .containsExactly(DType.INT64, DType.FLOAT32, DType.BOOL);
    ModelArgument.Single history = sample.inputs().get("history");
    assertThat(history.tensor().shape()).containsExactly(2, 2);
    assertThat(((FloatTensor) history.tensor()).values()).containsExactly(0.5f, 1f, 2f, 3f);
  }

  @Test
  void aGoldenPairLendsItsRequest() throws Exception {
    Path file = Files.writeString(dir.resolve("pair.json"),
        "{\"description\": \"one\", \"request\": {\"x\": [[1.5]]}, \"response\": {\"y\": [[2.0]]}}");

    assertThat(SampleRequest.read(file).inputs().keySet()).containsExactly("x");
  }

  @Test
  void stringsAndRaggedArraysAreRefusedNamingTheArray() throws Exception {
    Path strings = Files.writeString(dir.resolve("strings.json"), "{\"text\": [\"hello\"]}");
    Path ragged = Files.writeString(dir.resolve("ragged.json"), "{\"x\": [[1.0, 2.0], [3.0]]}");

    assertThatThrownBy(() -> SampleRequest.read(strings)).isInstanceOf(DraftException.class)
        .hasMessageContaining("'text'").hasMessageContaining("not an array of numbers");
    assertThatThrownBy(() -> SampleRequest.read(ragged)).isInstanceOf(DraftException.class)
        .hasMessageContaining("not a request of named arrays");
  }
}
