package dev.modelcontract.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.FloatTensor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KernelProbesTest {

  private static ModelContract contract(ExampleModel example) throws Exception {
    return new ContractReader().read(example.modelDir().resolve(ContractReader.FILE_NAME));
  }

  @Test
  void everyBlockEdgeOfTheBatchUpToTheServersLargestAndEveryDimsRangeAppear() throws Exception {
    // lstm-two-inputs: batch 1..64, T 1..512, the server forming batches of up to 32 rows
    List<KernelProbes.Probe> probes = KernelProbes.of(contract(ExampleModel.LSTM_TWO_INPUTS), 32);

    Set<Long> batches = probes.stream().map(probe -> probe.sizes().get("batch")).collect(Collectors.toSet());
    Set<Long> steps = probes.stream().map(probe -> probe.sizes().get("T")).collect(Collectors.toSet());
    assertThat(batches).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 7L, 8L, 9L, 15L, 16L, 17L, 31L, 32L);
    assertThat(steps).contains(1L, 2L, 7L, 8L, 9L, 16L, 17L, 32L, 33L, 64L, 65L, 127L, 128L, 256L, 512L);
    assertThat(probes.get(probes.size() - 1).describe()).isEqualTo("batch 32, T 512");
    assertThat(KernelProbes.ranges(probes)).isEqualTo("batch 1\u201332, T 1\u2013512");
    KernelProbes.Probe first = probes.get(0);
    assertThat(first.describe()).isEqualTo("batch 1, T 512");
    assertThat(first.request().get("input_1").shape()).containsExactly(1, 512, 4);
    assertThat(first.request().get("input_2").shape()).containsExactly(1, 512, 2);
  }

  @Test
  void theSameContractGivesTheSameProbesValuesIncluded() throws Exception {
    ModelContract contract = contract(ExampleModel.TWO_ARGS_DICT);

    List<KernelProbes.Probe> once = KernelProbes.of(contract, 0);
    List<KernelProbes.Probe> again = KernelProbes.of(contract, 0);

    assertThat(once).hasSameSizeAs(again);
    for (int i = 0; i < once.size(); i++) {
      assertThat(again.get(i).sizes()).isEqualTo(once.get(i).sizes());
      for (Map.Entry<String, ?> input : once.get(i).request().entrySet()) {
        FloatTensor was = (FloatTensor) input.getValue();
        FloatTensor now = (FloatTensor) again.get(i).request().get(input.getKey());
        assertThat(now.values()).containsExactly(was.values());
      }
    }
  }

  @Test
  void sizesRunFromEndToEndThroughTheBlockEdgesBetween() {
    assertThat(KernelProbes.sizesBetween(50, 200)).containsExactly(50L, 63L, 64L, 65L, 125L, 127L, 128L, 200L);
    assertThat(KernelProbes.sizesBetween(1, 1)).containsExactly(1L);
    assertThat(KernelProbes.sizesBetween(3, 6)).containsExactly(3L, 4L, 5L, 6L);
  }
}
