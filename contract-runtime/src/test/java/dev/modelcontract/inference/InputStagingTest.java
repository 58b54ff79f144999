package dev.modelcontract.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.DType;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.Tensor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inputs reach libtorch through each thread's kept native memory: every pass reads its own values, whatever ran on
 * the thread before it, and a pass larger than what a thread keeps gets memory of its own.
 */
class InputStagingTest {

  private static TorchScriptModel model;

  @BeforeAll
  static void load() throws Exception {
    model = TorchScriptModel.load(ExampleModel.LSTM_TWO_INPUTS.modelDir().resolve("model.pt"));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void eachInputStartsOnACacheLineAndNoneOverlap() {
    InputStaging staging = InputStaging.forPass(InputStaging.footprint(10, 4) + InputStaging.footprint(3, 8));
    ByteBuffer first = staging.next(10 * 4);
    ByteBuffer second = staging.next(3 * 8);
    first.putFloat(36, 1.5f);
    second.putDouble(0, 2.5);

    assertThat(first.alignmentOffset(0, 64)).isZero();
    assertThat(second.alignmentOffset(0, 64)).isZero();
    assertThat(first.getFloat(36)).isEqualTo(1.5f);
    assertThat(first.capacity()).isEqualTo(40);
  }

  @Test
  void aThreadKeepsWhatItsPassesNeedUpToALimit() throws Exception {
    FutureTask<int[]> onANewThread = new FutureTask<>(() -> new int[] {
        InputStaging.forPass(InputStaging.footprint(120, 4)).keptBytes(),
        InputStaging.forPass(InputStaging.footprint(5000, 4)).keptBytes(),
        InputStaging.forPass(InputStaging.footprint(120, 4)).keptBytes(),
        InputStaging.forPass(InputStaging.KEPT_BYTES + 1).keptBytes()});
    new Thread(onANewThread).start();
    int[] kept = onANewThread.get();

    assertThat(kept).containsExactly(4096, 32768, 32768, 32768);
  }

  @Test
  void aPassReadsItsOwnValuesWhateverRanBeforeItOnTheThread() throws Exception {
    FloatTensor small = random(new long[] {1, 12, 6}, 1);
    FloatTensor other = random(new long[] {3, 5, 6}, 2);
    // 64 x 700 x 6 float32: 1,075,200 bytes, more than a thread keeps
    FloatTensor large = random(new long[] {64, 700, 6}, 3);

    float[] alone = outputOf(small);
    outputOf(large);
    float[] afterLarge = outputOf(small);
    outputOf(other);
    float[] afterOther = outputOf(small);
    float[] onAnotherThread = CompletableFuture.supplyAsync(() -> outputOf(small)).get();

    assertThat(afterLarge).containsExactly(alone);
    assertThat(afterOther).containsExactly(alone);
    assertThat(onAnotherThread).containsExactly(alone);
  }

  @Test
  void aPassLargerThanWhatAThreadKeepsGetsItsValuesToo() {
    FloatTensor large = random(new long[] {64, 700, 6}, 4);
    float[] firstRow = outputOf(large.rows(0, 1));
    float[] lastRow = outputOf(large.rows(63, 64));

    float[] batched = outputOf(large);

    assertThat(InputStaging.footprint(large.size(), Float.BYTES)).isGreaterThan(InputStaging.KEPT_BYTES);
    assertThat(batched[0]).isCloseTo(firstRow[0], Offset.offset(1e-5f));
    assertThat(batched[63]).isCloseTo(lastRow[0], Offset.offset(1e-5f));
  }

  /** The model's first output (shape (batch, 1)). */
  private static float[] outputOf(Tensor input) {
    try {
      List<ModelOutput> outputs = model.forward(List.of(new ModelArgument.Single(DType.FLOAT32, input)));
      return ((FloatTensor) outputs.get(0).tensor()).values();
    } catch (ModelFailure e) {
      throw new AssertionError(e);
    }
  }

  private static FloatTensor random(long[] shape, long seed) {
    Random random = new Random(seed);
    float[] values = new float[Math.toIntExact(shape[0] * shape[1] * shape[2])];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return new FloatTensor(shape, values);
  }
}
