package dev.modelcontract.benchmarks;

import dev.modelcontract.enforcement.BoundRequest;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What watching for skew costs on the request path (docs/skew.md): the example's contract served with skew neither
 * observed nor refused ({@code off}), observed on /metrics ({@code observe}, the default for every input with training
 * statistics), and observed and guarded ({@code guard}), for the golden pair's sequence of 20 steps sent alone
 * (B=1) and 32 times in one request (B=32). {@code decodeAndEnforce} is everything before the model, where the
 * skew work sits (as the server admits a request: bound, then observed); {@code requestPath} is decode, enforce,
 * forward and encode: the request as an inference thread and
 * an I/O thread see it together, against which the cost is judged; {@code observe} is the observation alone.
 */
public class SkewObservationBenchmark extends ExampleModelBenchmark {

  @Param({"off", "observe", "guard"})
  public String skew;

  @Param({"1", "32"})
  public int batch;

  private final JsonTensorWriter writer = new JsonTensorWriter();
  private Path directory;
  private ContractModel model;
  private byte[] body;
  private BoundRequest bound;

  @Setup
  public void load() throws Exception {
    directory = Files.createTempDirectory("skew-benchmark");
    Path source = example().resolve("model");
    Files.copy(source.resolve("model.pt"), directory.resolve("model.pt"));
    String contract = Files.readString(source.resolve("model-contract.yaml"))
        .replaceAll("(?m)^skew:.*\\n(  .*\\n)*", "");
    contract += switch (skew) {
      case "off" -> "\nskew: {observe: false, refuse: false}\n";
      case "observe" -> "\nskew: {observe: true, refuse: false}\n";
      default -> "\nskew: {observe: true, refuse: true}\n";
    };
    Files.writeString(directory.resolve("model-contract.yaml"), contract);
    model = ContractModel.load(directory);
    Map<String, Tensor> sequence = GoldenCase.load(example().resolve("golden/unbatched.json"))
        .request(model.requestReader());
    Map<String, Tensor> request = new LinkedHashMap<>();
    sequence.forEach((name, tensor) -> request.put(name, repeated(tensor, batch)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(request, out);
    body = out.toByteArray();
    bound = model.bind(model.requestReader().readRequest(body, 0, body.length).tensors());
  }

  /** A sequence {@code [T, F]} as a batch of {@code rows} copies {@code [rows, T, F]}. */
  private static Tensor repeated(Tensor sequence, int rows) {
    float[] values = (float[]) sequence.array();
    float[] batched = new float[values.length * rows];
    for (int row = 0; row < rows; row++) {
      System.arraycopy(values, 0, batched, row * values.length, values.length);
    }
    long[] shape = sequence.shape();
    return new FloatTensor(new long[] {rows, shape[0], shape[1]}, batched);
  }

  @TearDown
  public void close() throws Exception {
    model.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  /** Decoded, bound (judged, normalized) and observed, as the server admits a request. */
  @Benchmark
  public BoundRequest decodeAndEnforce() throws Exception {
    BoundRequest bound = model.bind(model.requestReader().readRequest(body, 0, body.length).tensors());
    model.observe(bound);
    return bound;
  }

  /** The observation alone, of a request bound once (observing reads it, changes nothing): its own cost. */
  @Benchmark
  public BoundRequest observe() {
    model.observe(bound);
    return bound;
  }

  @Benchmark
  public byte[] requestPath() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    writer.write(model.run(decodeAndEnforce()), out);
    return out.toByteArray();
  }
}
