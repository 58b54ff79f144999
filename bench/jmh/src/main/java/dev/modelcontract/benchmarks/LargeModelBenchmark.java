package dev.modelcontract.benchmarks;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.SampleRequests;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A model big enough to matter: examples/large-lstm (2 × 256 LSTM units, 0.8 M parameters, 8 + 2 features per step)
 * at T=100 and B=1, 8 and 32, with oneDNN capped at AVX2 and without the cap. {@code forward} is the TorchScript
 * forward pass alone: its input array made once, only {@code Block.forward} measured, its outputs closed.
 * {@code predict} is the in-process request path around it, {@link ContractModel#predict} (bind, normalize,
 * concatenate, forward, map, de-normalize), on a request drawn from the contract's training statistics. Each
 * parameter set runs in its own JVM, since oneDNN reads its cap once per process.
 */
public class LargeModelBenchmark extends ExampleModelBenchmark {

  /** oneDNN's cap: the default (AVX2) or none (ALL: AVX-512 kernels where the CPU has them). */
  @Param({"AVX2", "ALL"})
  public String onednnMaxIsa;

  @Param({"1", "8", "32"})
  public int batch;

  /** Minutes of history; the contract takes 50 to 200. */
  @Param({"100"})
  public int steps;

  private ContractModel model;
  private FloatTensor scada;
  private FloatTensor weather;
  private ZooModel<NDList, NDList> torchScript;
  private ParameterStore parameters;
  private NDList standardized;

  @Setup
  public void load() throws Exception {
    capOnednn(onednnMaxIsa);
    Path directory = example("large-lstm").resolve("model");
    // First, so that the process's CPU settings (one OpenMP thread per forward pass) apply to both models.
    model = ContractModel.load(directory);
    ModelContract contract = model.contract();
    Random random = new Random(7);
    scada = sample(contract, "scada", random);
    weather = sample(contract, "weather", random);

    torchScript = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optModelPath(directory.resolve(contract.model().file()))
        .optEngine("PyTorch")
        .optTranslator(new NoopTranslator())
        .build()
        .loadModel();
    int features = contract.inputs().stream().mapToInt(input -> input.features().size()).sum();
    float[] x = new float[batch * steps * features];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian(); // standardized readings, as the model receives them
    }
    standardized = new NDList(torchScript.getNDManager().create(x, new Shape(batch, steps, features)));
    parameters = new ParameterStore(torchScript.getNDManager(), false);
  }

  private FloatTensor sample(ModelContract contract, String name, Random random) {
    InputSpec input = contract.input(name).orElseThrow();
    return (FloatTensor) SampleRequests.valueOf(input, new long[] {batch, steps, input.features().size()}, random);
  }

  @Benchmark
  public void forward(Blackhole blackhole) {
    try (NDList outputs = torchScript.getBlock().forward(parameters, standardized, false)) {
      blackhole.consume(outputs);
    }
  }

  @Benchmark
  public Map<String, Tensor> predict() throws Exception {
    // predict normalizes its request in place: each call gets fresh arrays, as each HTTP request does.
    return model.predict(Map.of(
        "scada", new FloatTensor(scada.shape(), scada.values().clone()),
        "weather", new FloatTensor(weather.shape(), weather.values().clone())));
  }

  @TearDown
  public void close() {
    standardized.close();
    torchScript.close();
    model.close();
  }
}
