package dev.modelcontract.benchmarks;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.Tensor;
import java.util.Map;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What capping oneDNN at AVX2 costs: the example LSTM (examples/lstm-two-inputs, 16 units, T=20) served through
 * {@link ContractModel#predict} (bind, normalize, concatenate, forward, map, invert) at B=1, 8 and 32, with the cap
 * and without it. Each parameter set runs in its own JVM, since oneDNN reads its cap once per process.
 */
public class LstmForwardBenchmark extends ExampleModelBenchmark {

  private static final int STEPS = 20;

  /** oneDNN's cap: the default (AVX2) or none (ALL: AVX-512 kernels where the CPU has them). */
  @Param({"AVX2", "ALL"})
  public String onednnMaxIsa;

  @Param({"1", "8", "32"})
  public int batch;

  private ContractModel model;
  private float[] prices;
  private float[] volumes;

  @Setup
  public void load() throws ContractException {
    capOnednn(onednnMaxIsa);
    model = ContractModel.load(example().resolve("model"));
    Random random = new Random(7);
    prices = new float[batch * STEPS * 4];
    volumes = new float[batch * STEPS * 2];
    for (int i = 0; i < prices.length; i++) {
      prices[i] = 100 + (float) random.nextGaussian() * 5;
    }
    for (int i = 0; i < volumes.length; i += 2) {
      volumes[i] = 15000 + (float) random.nextGaussian() * 2000;
      volumes[i + 1] = 0.5f + (float) random.nextGaussian() * 0.1f;
    }
  }

  @Benchmark
  public Map<String, Tensor> predict() throws Exception {
    // predict normalizes its request in place: each call gets fresh arrays, as each HTTP request does.
    return model.predict(Map.of(
        "input_1", new FloatTensor(new long[] {batch, STEPS, 4}, prices.clone()),
        "input_2", new FloatTensor(new long[] {batch, STEPS, 2}, volumes.clone())));
  }

  @TearDown
  public void close() {
    model.close();
  }
}
