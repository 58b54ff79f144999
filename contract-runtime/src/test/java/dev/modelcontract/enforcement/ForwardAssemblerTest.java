package dev.modelcontract.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.inference.ModelArgument;
import dev.modelcontract.tensors.BooleanTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.Tensor;
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

  /** The tensor of a single-tensor argument, checking its dtype. */
  private static Tensor single(ModelArgument argument, DType dtype) {
    assertThat(argument).isInstanceOf(ModelArgument.Single.class);
    ModelArgument.Single single = (ModelArgument.Single) argument;
    assertThat(single.dtype()).isEqualTo(dtype);
    return single.tensor();
  }

  private static float[] floats(Tensor tensor) {
    return ((FloatTensor) tensor).values();
  }

  @Test
  void concatInterleavesRowsOnTheLastAxis() {
    ForwardAssembler assembler = new ForwardAssembler(contract("    - concat: [a, b]\n"));

    List<ModelArgument> arguments = assembler.assemble(List.of(A, B));

    assertThat(arguments).hasSize(1);
    Tensor x = single(arguments.get(0), DType.FLOAT32);
    assertThat(x.shape()).containsExactly(2, 3, 3);
    assertThat(floats(x)).containsExactly(
        0.1f, 0.2f, -0f, 1.1f, 1.2f, -1f, 2.1f, 2.2f, -2f,
        10.1f, 10.2f, -10f, 11.1f, 11.2f, -11f, 12.1f, 12.2f, -12f);
  }

  @Test
  void concatFollowsTheContractsOrderNotTheInputsOrder() {
    ForwardAssembler assembler = new ForwardAssembler(contract("    - concat: [b, a]\n"));

    Tensor x = single(assembler.assemble(List.of(A, B)).get(0), DType.FLOAT32);

    assertThat(x.shape()).containsExactly(2, 3, 3);
    assertThat(floats(x)).containsExactly(
        -0f, 0.1f, 0.2f, -1f, 1.1f, 1.2f, -2f, 2.1f, 2.2f,
        -10f, 10.1f, 10.2f, -11f, 11.1f, 11.2f, -12f, 12.1f, 12.2f);
  }

  @Test
  void singleInputArgumentsPassTheInputThroughInOrder() {
    ForwardAssembler assembler = new ForwardAssembler(contract("    - input: b\n    - concat: [a]\n"));

    List<ModelArgument> arguments = assembler.assemble(List.of(A, B));

    assertThat(arguments).containsExactly(
        new ModelArgument.Single(DType.FLOAT32, B), new ModelArgument.Single(DType.FLOAT32, A));
  }

  @Test
  void concatOnAxisOneJoinsWholeBlocksOfEachBatchRow() {
    ModelContract contract = TestContracts.read("""
        version: 1
        model: {file: model.pt}
        dims: {batch: {}}
        batch: {dim: batch}
        inputs:
          - {name: a, dtype: float32, shape: [batch, 2, 2]}
          - {name: b, dtype: float32, shape: [batch, 1, 2]}
        forward:
          arguments:
            - {concat: [a, b], axis: 1}
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [batch, 1]}
        """);
    FloatTensor a = new FloatTensor(new long[] {2, 2, 2}, new float[] {1, 2, 3, 4, 11, 12, 13, 14});
    FloatTensor b = new FloatTensor(new long[] {2, 1, 2}, new float[] {-1, -2, -11, -12});

    Tensor x = single(new ForwardAssembler(contract).assemble(List.of(a, b)).get(0), DType.FLOAT32);

    assertThat(x.shape()).containsExactly(2, 3, 2);
    assertThat(floats(x)).containsExactly(1, 2, 3, 4, -1, -2, 11, 12, 13, 14, -11, -12);
  }

  @Test
  void stackPutsTheInputsOnANewLastAxis() {
    ModelContract contract = TestContracts.read("""
        version: 1
        model: {file: model.pt}
        dims: {batch: {}}
        batch: {dim: batch}
        inputs:
          - {name: open, dtype: float32, shape: [batch, 3]}
          - {name: close, dtype: float32, shape: [batch, 3]}
        forward:
          arguments:
            - stack: [open, close]
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [batch, 1]}
        """);
    FloatTensor open = new FloatTensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
    FloatTensor close = new FloatTensor(new long[] {2, 3}, new float[] {-1, -2, -3, -4, -5, -6});

    Tensor x = single(new ForwardAssembler(contract).assemble(List.of(open, close)).get(0), DType.FLOAT32);

    assertThat(x.shape()).containsExactly(2, 3, 2);
    assertThat(floats(x)).containsExactly(1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6);
  }

  @Test
  void stackOnAxisOnePutsEachInputsRowsSideBySide() {
    ModelContract contract = TestContracts.read("""
        version: 1
        model: {file: model.pt}
        dims: {batch: {}}
        batch: {dim: batch}
        inputs:
          - {name: open, dtype: float32, shape: [batch, 3]}
          - {name: close, dtype: float32, shape: [batch, 3]}
        forward:
          arguments:
            - {stack: [open, close], axis: 1}
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [batch, 1]}
        """);
    FloatTensor open = new FloatTensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
    FloatTensor close = new FloatTensor(new long[] {2, 3}, new float[] {-1, -2, -3, -4, -5, -6});

    Tensor x = single(new ForwardAssembler(contract).assemble(List.of(open, close)).get(0), DType.FLOAT32);

    assertThat(x.shape()).containsExactly(2, 2, 3);
    assertThat(floats(x)).containsExactly(1, 2, 3, -1, -2, -3, 4, 5, 6, -4, -5, -6);
  }

  @Test
  void dictArgumentHoldsEachInputUnderItsNameWithItsDType() {
    ModelContract contract = TestContracts.read("""
        version: 1
        model: {file: model.pt}
        dims: {batch: {}, T: {}}
        batch: {dim: batch}
        inputs:
          - {name: tokens, dtype: int64, shape: [batch, T]}
          - {name: weights, dtype: float16, shape: [batch, T]}
          - {name: mask, dtype: bool, shape: [batch, T]}
        forward:
          arguments:
            - input: weights
            - dict: [mask, tokens]
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [batch, 1]}
        """);
    LongTensor tokens = new LongTensor(new long[] {1, 2}, new long[] {7, 9});
    FloatTensor weights = new FloatTensor(new long[] {1, 2}, new float[] {0.5f, 1f});
    BooleanTensor mask = new BooleanTensor(new long[] {1, 2}, new boolean[] {true, false});

    List<ModelArgument> arguments = new ForwardAssembler(contract).assemble(List.of(tokens, weights, mask));

    assertThat(arguments).hasSize(2);
    assertThat(single(arguments.get(0), DType.FLOAT16)).isSameAs(weights);
    assertThat(arguments.get(1)).isInstanceOf(ModelArgument.Dict.class);
    ModelArgument.Dict dict = (ModelArgument.Dict) arguments.get(1);
    assertThat(dict.entries().keySet()).containsExactly("mask", "tokens");
    assertThat(dict.entries().get("mask")).isEqualTo(new ModelArgument.Single(DType.BOOL, mask));
    assertThat(dict.entries().get("tokens")).isEqualTo(new ModelArgument.Single(DType.INT64, tokens));
  }

  @Test
  void integerInputsConcatenateAsIntegersOfTheirDType() {
    ModelContract contract = TestContracts.read("""
        version: 1
        model: {file: model.pt}
        dims: {batch: {}}
        batch: {dim: batch}
        inputs:
          - {name: ids, dtype: int32, shape: [batch, 2]}
          - {name: more, dtype: int32, shape: [batch, 1]}
        forward:
          arguments:
            - concat: [ids, more]
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [batch, 1]}
        """);
    LongTensor ids = new LongTensor(new long[] {2, 2}, new long[] {1, 2, 3, 4});
    LongTensor more = new LongTensor(new long[] {2, 1}, new long[] {-2147483648L, 2147483647L});

    Tensor x = single(new ForwardAssembler(contract).assemble(List.of(ids, more)).get(0), DType.INT32);

    assertThat(x.shape()).containsExactly(2, 3);
    assertThat(((LongTensor) x).values()).containsExactly(1, 2, -2147483648L, 3, 4, 2147483647L);
  }

  @Test
  void boolInputsStackAsBooleans() {
    ModelContract contract = TestContracts.read("""
        version: 1
        model: {file: model.pt}
        dims: {batch: {}}
        batch: {dim: batch}
        inputs:
          - {name: p, dtype: bool, shape: [batch, 2]}
          - {name: q, dtype: bool, shape: [batch, 2]}
        forward:
          arguments:
            - stack: [p, q]
          returns: tensor
        outputs:
          - {name: y, dtype: float32, shape: [batch, 1]}
        """);
    BooleanTensor p = new BooleanTensor(new long[] {1, 2}, new boolean[] {true, true});
    BooleanTensor q = new BooleanTensor(new long[] {1, 2}, new boolean[] {false, true});

    Tensor x = single(new ForwardAssembler(contract).assemble(List.of(p, q)).get(0), DType.BOOL);

    assertThat(x.shape()).containsExactly(1, 2, 2);
    assertThat(((BooleanTensor) x).values()).containsExactly(true, false, true, true);
  }
}
