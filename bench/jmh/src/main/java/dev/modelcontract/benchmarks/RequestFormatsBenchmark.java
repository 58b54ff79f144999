package dev.modelcontract.benchmarks;

import dev.modelcontract.contract.DType;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.tensors.CsvTensorReader;
import dev.modelcontract.tensors.ElementType;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Npy;
import dev.modelcontract.tensors.Npz;
import dev.modelcontract.tensors.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Decoding one request body into the example's typed tensors, per wire format, beside the forward pass it feeds:
 * the same two float32 inputs ({@code input_1} (B, T, 4), {@code input_2} (B, T, 2)) as JSON (the fast path and
 * Jackson's token stream), the Open Inference Protocol's JSON, numpy's .npz (stored, as np.savez writes it, and
 * deflated, as np.savez_compressed does) and .npy, and CSV (the same values as rows of 6). {@code size}: the golden
 * B=1 request (1 × 20 steps), or a large batch (64 × 512 steps, 786 KB of float32). Every body's byte count is
 * printed at setup: MB/s = bytes / time.
 */
public class RequestFormatsBenchmark extends ExampleModelBenchmark {

  @Param({"golden-b1", "b64-t512"})
  public String size;

  private ContractModel model;
  private Map<String, ElementType> types;
  private byte[] json;
  private byte[] openInference;
  private byte[] npz;
  private byte[] npzCompressed;
  private byte[] npy;
  private byte[] csv;
  private Map<String, Tensor> request;

  @Setup
  public void load() throws Exception {
    model = ContractModel.load(example().resolve("model"));
    types = Map.of("input_1", new ElementType(DType.FLOAT32, false), "input_2", new ElementType(DType.FLOAT32, false));
    GoldenCase golden = GoldenCase.load(example().resolve("golden/unbatched.json"));
    Map<String, Tensor> tensors = size.equals("golden-b1")
        ? model.requestReader().read(new ByteArrayInputStream(golden.requestBody()))
        : random(64, 512);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JsonTensorWriter().write(tensors, out);
    json = size.equals("golden-b1") ? golden.requestBody() : out.toByteArray();
    openInference = openInference(tensors);
    out.reset();
    Npz.write(tensors, out);
    npz = out.toByteArray();
    npzCompressed = deflated(tensors);
    npy = Npy.toBytes(tensors.get("input_1"));
    csv = csv(tensors);
    request = tensors;
    System.out.printf("%n%s bodies (bytes): json %d, open-inference %d, npz %d, npz-compressed %d, npy (input_1)"
        + " %d, csv %d%n", size, json.length, openInference.length, npz.length, npzCompressed.length, npy.length,
        csv.length);
  }

  @Benchmark
  public Object json() throws Exception {
    return model.requestReader().readRequest(json, 0, json.length);
  }

  @Benchmark
  public Object jsonTokenStream() throws Exception {
    return model.requestReader().read(new ByteArrayInputStream(json));
  }

  @Benchmark
  public Object openInference() throws Exception {
    return model.requestReader().readRequest(openInference, 0, openInference.length);
  }

  @Benchmark
  public Object npz() throws Exception {
    return Npz.read(npz, 0, npz.length, types, Integer.MAX_VALUE);
  }

  @Benchmark
  public Object npzCompressed() throws Exception {
    return Npz.read(npzCompressed, 0, npzCompressed.length, types, Integer.MAX_VALUE);
  }

  @Benchmark
  public Object npy() throws Exception {
    return Npy.read(npy, 0, npy.length, "input_1", "/input_1", types.get("input_1"));
  }

  @Benchmark
  public Object csv() throws Exception {
    return new CsvTensorReader("input", types.get("input_1")).read(csv, 0, csv.length);
  }

  /** The model's part of the same request: bind, standardize, concatenate, forward, de-standardize. */
  @Benchmark
  public Object predict() throws Exception {
    Map<String, Tensor> copy = new LinkedHashMap<>();
    request.forEach((name, tensor) -> copy.put(name, Tensor.of(tensor.shape(), ((float[]) tensor.array()).clone())));
    return model.predict(copy);
  }

  @TearDown
  public void close() {
    model.close();
  }

  private static Map<String, Tensor> random(int batch, int steps) {
    Random random = new Random(1);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Object[] input : new Object[][] {{"input_1", 4, 100.0, 12.0}, {"input_2", 2, 15000.0, 4000.0}}) {
      int features = (int) input[1];
      float[] values = new float[batch * steps * features];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) ((double) input[2] + random.nextGaussian() * (double) input[3]);
      }
      tensors.put((String) input[0], new FloatTensor(new long[] {batch, steps, features}, values));
    }
    return tensors;
  }

  private static byte[] openInference(Map<String, Tensor> tensors) {
    StringBuilder body = new StringBuilder("{\"inputs\": [");
    String separator = "";
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      long[] shape = entry.getValue().shape();
      body.append(separator).append("{\"name\": \"").append(entry.getKey()).append("\", \"shape\": ")
          .append(Arrays.toString(shape)).append(", \"datatype\": \"FP32\", \"data\": [");
      float[] values = (float[]) entry.getValue().array();
      for (int i = 0; i < values.length; i++) {
        body.append(i == 0 ? "" : ", ").append((double) values[i]);
      }
      body.append("]}");
      separator = ", ";
    }
    return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] deflated(Map<String, Tensor> tensors) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey() + ".npy"));
        zip.write(Npy.toBytes(entry.getValue()));
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /** The values of both inputs as rows of 6 (input_1's four, then input_2's two), one row per step. */
  private static byte[] csv(Map<String, Tensor> tensors) {
    float[] first = (float[]) tensors.get("input_1").array();
    float[] second = (float[]) tensors.get("input_2").array();
    StringBuilder text = new StringBuilder();
    for (int row = 0; row < first.length / 4; row++) {
      for (int i = 0; i < 4; i++) {
        text.append((double) first[row * 4 + i]).append(',');
      }
      text.append((double) second[row * 2]).append(',').append((double) second[row * 2 + 1]).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
