package dev.modelcontract.benchmarks;

import dev.modelcontract.enforcement.BoundRequest;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The server's per-request work around the model, beside the model call itself, for one request of the example's
 * golden pair {@code unbatched} (one sequence of 20 steps, the B=1 case), in one run: {@code decode} (JSON bytes to
 * typed tensors by the contract's dtypes), {@code decodeAndEnforce} (that, then bind and check against the contract
 * and standardize: everything the server does before the model), {@code forward} (concatenate, the TorchScript
 * forward pass, map and de-standardize the outputs: what an inference thread does), {@code encode} (named outputs
 * to JSON bytes), {@code predict} and all of it.
 */
public class RequestPathBenchmark extends ExampleModelBenchmark {

  private final JsonTensorWriter writer = new JsonTensorWriter();
  private ContractModel model;
  private byte[] body;
  private Map<String, Tensor> response;
  private BoundRequest bound;

  @Setup
  public void load() throws Exception {
    model = ContractModel.load(example().resolve("model"));
    body = GoldenCase.load(example().resolve("golden/unbatched.json")).requestBody();
    response = model.predict(decode());
    bound = decodeAndEnforce();
  }

  /** As the server decodes a body: from its bytes (the common body on the fast path). */
  @Benchmark
  public Map<String, Tensor> decode() throws Exception {
    return model.requestReader().readRequest(body, 0, body.length).tensors();
  }

  /** The same body through Jackson's token stream, as every other body is read. */
  @Benchmark
  public Map<String, Tensor> decodeTokenStream() throws Exception {
    return model.requestReader().read(new ByteArrayInputStream(body));
  }

  @Benchmark
  public BoundRequest decodeAndEnforce() throws Exception {
    return model.bind(decode());
  }

  /** The model's part alone; running a bound request leaves it unchanged, so one serves every call. */
  @Benchmark
  public Map<String, Tensor> forward() throws Exception {
    return model.run(bound);
  }

  @Benchmark
  public Map<String, Tensor> predict() throws Exception {
    return model.predict(decode());
  }

  @Benchmark
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    writer.write(response, out);
    return out.toByteArray();
  }

  @Benchmark
  public byte[] decodePredictEncode() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    writer.write(model.predict(decode()), out);
    return out.toByteArray();
  }

  @TearDown
  public void close() {
    model.close();
  }
}
