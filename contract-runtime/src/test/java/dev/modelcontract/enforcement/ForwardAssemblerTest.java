package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.FloatTensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardAssemblerTest {

  private static final String INPUTS = """
      version: 1
      model: {file: model.pt}
      dims:
        batch: {}
        T: {}
      batch: {dim: batch}
      inputs:
        - {name: a, dtype: float32, shape: [batch, T, 2]}
        - {name: b, dtype: float32, shape: [batch, T, 1]}
      outputs:
        - {name: y, index: 0, dtype: float32, shape: [batch, 1]}
      forward:
        returns: tuple
        arguments:
      """;

  // a: [2, 3, 2], rows (batch, t) -> (10*batch + t + 0.1, 10*batch + t + 0.2)
  private static final FloatTensor A = new FloatTensor(new long[] {2, 3, 2}, new float[] {
      0.1f, 0.2f, 1.1f, 1.2f, 2.1f, 2.2f,
      10.1f, 10.2f, 11.1f, 11.2f, 12.1f, 12.2f});
  // b: [2, 3, 1], rows (batch, t) -> -(10*batch + t)
  private static final FloatTensor B = new FloatTensor(new long[] {2, 3, 1}, new float[] {
      -0f, -1f, -2f,
      -10f, -11f, -12f});

  private static ModelContract contract(String arguments) {
    return TestContracts.read(INPUTS + arguments);
  }

  @Test
  void concatInterleavesRowsOnTheLastAxis() {
    ForwardAssembler assembler = new ForwardAssembler(contract("    - concat: [a, b]\n"));

    List<FloatTensor> arguments = assembler.assemble(List.of(A, B));

    assertThat(arguments).hasSize(1);
    FloatTensor x = arguments.get(0);
    assertThat(x.shape()).containsExactly(2, 3, 3);
    assertThat(x.values()).containsExactly(
        0.1f, 0.2f, -0f, 1.1f, 1.2f, -1f, 2.1f, 2.2f, -2f,
        10.1f, 10.2f, -10f, 11.1f, 11.2f, -11f, 12.1f, 12.2f, -12f);
  }

  @Test
  void concatFollowsTheContractsOrderNotTheInputsOrder() {
    ForwardAssembler assembler = new ForwardAssembler(contract("    - concat: [b, a]\n"));

    FloatTensor x = assembler.assemble(List.of(A, B)).get(0);

    assertThat(x.shape()).containsExactly(2, 3, 3);
    assertThat(x.values()).containsExactly(
        -0f, 0.1f, 0.2f, -1f, 1.1f, 1.2f, -2f, 2.1f, 2.2f,
        -10f, 10.1f, 10.2f, -11f, 11.1f, 11.2f, -12f, 12.1f, 12.2f);
  }

  @Test
  void singleInputArgumentsPassTheInputThroughInOrder() {
    ForwardAssembler assembler = new ForwardAssembler(contract("    - concat: [b]\n    - concat: [a]\n"));

    List<FloatTensor> arguments = assembler.assemble(List.of(A, B));

    assertThat(arguments).containsExactly(B, A);
  }
}
