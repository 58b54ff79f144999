package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalingTest {

  @Test
  void aValueThatOverflowsOnceMinMaxScaledIsNamedWithTheFormulaItsContractStates() throws IOException {
    // two-args-dict's volume is min-max scaled; with max - min = 0.5, float32's largest value doubles past it
    ModelContract contract = TestContracts.read(Files.readString(Path.of("../examples/two-args-dict/model"
        + "/model-contract.yaml")).replace("max: [50000.0]", "max: [0.5]"));
    FloatTensor prices = new FloatTensor(new long[] {1, 1, 3}, new float[] {100, 101, 99});
    FloatTensor volume = new FloatTensor(new long[] {1, 1, 1}, new float[] {Float.MAX_VALUE});

    assertThatThrownBy(() -> new Scaling(contract).normalizeInputs(new BoundRequest(List.of(prices, volume),
        Map.of(), false)))
        .isInstanceOfSatisfying(ContractViolation.class, violation -> assertThat(violation.getMessage())
            .contains("'volume'")
            .contains("values that stay finite once scaled ((x - min) / (max - min), as the contract says)")
            .contains("a value that overflows float when scaled")
            .doesNotContain("standardized"));
  }
}
