package dev.modelcontract.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.validation.GoldenReplay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenRecorderTest {

  @TempDir
  Path temp;

  @Test
  void recordedPairsHoldTheModelsAnswersToTheRequestsAndReplay() throws Exception {
    Path requests = Files.createDirectories(temp.resolve("requests"));
    for (GoldenCase golden : ExampleModel.LSTM_TWO_INPUTS.goldenCases()) {
      Files.write(requests.resolve(golden.name() + ".json"), golden.requestBody());
    }
    Path recorded = temp.resolve("golden");

    try (ContractModel model = ContractModel.load(ExampleModel.LSTM_TWO_INPUTS.modelDir())) {
      List<Path> written = new GoldenRecorder(model).record(requests, recorded, false);

      assertThat(written).hasSize(ExampleModel.LSTM_TWO_INPUTS.goldenCases().size());
      for (GoldenCase pair : GoldenCase.loadAll(recorded)) {
        // the model's own answers, so within the tolerance of the pairs computed in Python
        ExampleModel.assertMatchesGolden(pair.response(), ExampleModel.LSTM_TWO_INPUTS.golden(pair.name()));
        assertThat(pair.description()).contains("recorded from the model");
      }
      assertThat(GoldenReplay.replay(model, GoldenCase.loadAll(recorded), GoldenReplay.DEFAULT_TOLERANCE))
          .allSatisfy(check -> assertThat(check.passed()).isTrue());
    }
  }

  @Test
  void existingPairsAreKeptAndBadRequestsRecordNothing() throws Exception {
    Path requests = Files.createDirectories(temp.resolve("requests"));
    Path golden = Files.createDirectories(temp.resolve("golden"));
    Files.write(requests.resolve("a.json"), ExampleModel.LSTM_TWO_INPUTS.golden("batched").requestBody());
    Files.writeString(golden.resolve("a.json"), "{}");

    try (ContractModel model = ContractModel.load(ExampleModel.LSTM_TWO_INPUTS.modelDir())) {
      GoldenRecorder recorder = new GoldenRecorder(model);
      assertThatThrownBy(() -> recorder.record(requests, golden, false))
          .isInstanceOf(GoldenRecorder.RecordingFailed.class).hasMessageContaining("exists");
      assertThat(golden.resolve("a.json")).hasContent("{}");

      Files.writeString(requests.resolve("b.json"), "{\"input_1\": [[1, 2, 3]]}", StandardCharsets.UTF_8);
      assertThatThrownBy(() -> recorder.record(requests, golden, true))
          .isInstanceOf(GoldenRecorder.RecordingFailed.class).hasMessageContaining("b.json");
      assertThat(golden.resolve("a.json")).as("nothing is written when one request fails").hasContent("{}");
    }
  }
}
