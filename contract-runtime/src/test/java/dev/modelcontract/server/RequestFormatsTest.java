package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Npy;
import dev.modelcontract.tensors.Npz;
import dev.modelcontract.tensors.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every request format against the golden pairs, with files numpy and CSV wrote (examples' requests/ folders,
 * from scripts/generate_*.py), and every answer format read back: the same numbers whatever the wire format.
 */
class RequestFormatsTest {

  private static final long LIMIT = 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static SageMakerServer lstm;
  private static SageMakerServer houses;

  @BeforeAll
  static void start() throws Exception {
    lstm = TestServers.ready(TestServers.config(ExampleModel.LSTM_TWO_INPUTS, LIMIT, 1));
    houses = TestServers.ready(TestServers.config(ExampleModel.HOUSE_PRICES, LIMIT, 1));
  }

  @AfterAll
  static void stop() {
    if (lstm != null) {
      lstm.close();
    }
    if (houses != null) {
      houses.close();
    }
  }

  @Test
  void npzFilesAsNumpyWritesThemAreAnsweredWithTheGoldenResponse() throws Exception {
    for (GoldenCase golden : ExampleModel.LSTM_TWO_INPUTS.goldenCases()) {
      for (String file : new String[] {golden.name() + ".npz", golden.name() + "-compressed.npz"}) {
        assertGolden(post(lstm, MediaTypes.NPZ, null, read(ExampleModel.LSTM_TWO_INPUTS, file)), golden, file);
      }
    }
    assertGolden(post(lstm, MediaTypes.NPZ, null, read(ExampleModel.LSTM_TWO_INPUTS, "batched-fortran.npz")),
        ExampleModel.LSTM_TWO_INPUTS.golden("batched"), "Fortran order, big-endian");
  }

  @Test
  void anArrayOfAnotherDTypeIs422NamingItNeverCast() throws Exception {
    JsonNode npz = problem(post(lstm, MediaTypes.NPZ, null, read(ExampleModel.LSTM_TWO_INPUTS,
        "batched-int64.npz")), 422);
    JsonNode npy = problem(post(houses, MediaTypes.NPY, null, read(ExampleModel.HOUSE_PRICES,
        "batched-float64.npy")), 422);

    assertThat(npz.get("input").asString()).isEqualTo("input_2");
    assertThat(npz.get("actual").asString()).isEqualTo("an array of int64");
    assertThat(npy.get("input").asString()).isEqualTo("features");
    assertThat(npy.get("detail").asString()).contains("float32").contains("float64");
  }

  @Test
  void npyAndCsvFilesOfTheOneInputModelAreAnsweredWithTheGoldenResponse() throws Exception {
    for (GoldenCase golden : ExampleModel.HOUSE_PRICES.goldenCases()) {
      String name = golden.name();
      for (String file : new String[] {name + ".npy", name + "-fortran.npy", name + "-big-endian.npy"}) {
        assertGolden(post(houses, MediaTypes.NPY, null, read(ExampleModel.HOUSE_PRICES, file)), golden, file);
      }
      for (String file : new String[] {name + ".npz", name + "-compressed.npz"}) {
        assertGolden(post(houses, MediaTypes.NPZ, null, read(ExampleModel.HOUSE_PRICES, file)), golden, file);
      }
    }
    assertGolden(post(houses, MediaTypes.CSV, null, read(ExampleModel.HOUSE_PRICES, "batched.csv")),
        ExampleModel.HOUSE_PRICES.golden("batched"), "batched.csv");
  }

  @Test
  void csvValuesFollowTheInputsRules() throws Exception {
    JsonNode text = problem(post(houses, MediaTypes.CSV, null, bytes("1,2,3,4,5,6\n1,2,x,4,5,6\n")), 422);
    JsonNode nan = problem(post(houses, MediaTypes.CSV, null, bytes("1,2,3,4,5,nan\n")), 422);
    JsonNode ragged = problem(post(houses, MediaTypes.CSV, null, bytes("1,2,3,4,5,6\n1,2,3\n")), 400);
    JsonNode columns = problem(post(houses, MediaTypes.CSV, null, bytes("1,2,3\n")), 422);

    assertThat(text.get("pointer").asString()).isEqualTo("/features/1/2");
    assertThat(text.get("detail").asString()).contains("CSV line 2, value 3");
    assertThat(nan.get("actual").asString()).contains("does not allow non-finite values");
    assertThat(ragged.get("detail").asString()).contains("row 2 has 3 values, but the first row has 6");
    assertThat(columns.get("input").asString()).isEqualTo("features");
  }

  @Test
  void answersComeInTheTypeAcceptAsks() throws Exception {
    GoldenCase golden = ExampleModel.HOUSE_PRICES.golden("batched");
    byte[] csv = read(ExampleModel.HOUSE_PRICES, "batched.csv");

    HttpResponse<byte[]> npy = post(houses, MediaTypes.CSV, MediaTypes.NPY, csv);
    HttpResponse<byte[]> npz = post(houses, MediaTypes.CSV, "application/x-npz, application/json;q=0.5", csv);

    assertThat(npy.headers().firstValue("Content-Type")).hasValue(MediaTypes.NPY);
    ExampleModel.assertMatchesGolden(Map.of("price", Npy.read(npy.body(), 0, npy.body().length, "price", "",
        null)), golden);
    assertThat(npz.headers().firstValue("Content-Type")).hasValue(MediaTypes.NPZ);
    ExampleModel.assertMatchesGolden(Npz.read(npz.body(), 0, npz.body().length, Map.of(), LIMIT), golden);
    assertThat(problem(post(lstm, MediaTypes.JSON, MediaTypes.NPY,
        ExampleModel.LSTM_TWO_INPUTS.golden("batched").requestBody()), 406).get("supported").asString())
        .as("one .npy cannot hold two outputs").isEqualTo("application/json, application/x-npz");
  }

  @Test
  void openInferenceProtocolRequestsAreAnsweredInKindWithTheirId() throws Exception {
    GoldenCase golden = ExampleModel.LSTM_TWO_INPUTS.golden("batched");
    JsonNode request = JSON.readTree(golden.requestBody());
    ObjectNode body = JSON.createObjectNode().put("id", "request-7");
    ArrayNode inputs = body.putArray("inputs");
    for (String name : new String[] {"input_1", "input_2"}) {
      JsonNode values = request.get(name);
      ObjectNode input = inputs.addObject().put("name", name).put("datatype", "FP32");
      input.putArray("shape").add(values.size()).add(values.get(0).size()).add(values.get(0).get(0).size());
      ArrayNode data = input.putArray("data");
      values.forEach(row -> row.forEach(step -> step.forEach(data::add)));
    }

    HttpResponse<byte[]> response = post(lstm, MediaTypes.JSON, null, JSON.writeValueAsBytes(body));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.get("model_name").asString()).isEqualTo("model");
    assertThat(answer.get("id").asString()).isEqualTo("request-7");
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    for (JsonNode output : answer.get("outputs")) {
      assertThat(output.get("datatype").asString()).isEqualTo("FP32");
      long[] shape = JSON.treeToValue(output.get("shape"), long[].class);
      float[] data = JSON.treeToValue(output.get("data"), float[].class);
      outputs.put(output.get("name").asString(), Tensor.of(shape, data));
    }
    ExampleModel.assertMatchesGolden(outputs, golden);

    ((ObjectNode) inputs.get(1)).put("datatype", "FP64");
    JsonNode problem = problem(post(lstm, MediaTypes.JSON, null, JSON.writeValueAsBytes(body)), 422);
    assertThat(problem.get("pointer").asString()).isEqualTo("/inputs/1/datatype");
    ((ObjectNode) inputs.get(1)).put("datatype", "FP32");
    ((ArrayNode) inputs.get(1).get("data")).set(0, 1e39);
    assertThat(problem(post(lstm, MediaTypes.JSON, null, JSON.writeValueAsBytes(body)), 422).get("pointer")
        .asString()).isEqualTo("/inputs/1/data/0");
  }

  @Test
  void gzipNpzIsUnpackedWithinTheLimitAndABombIs413() throws Exception {
    byte[] npz = read(ExampleModel.LSTM_TWO_INPUTS, "batched.npz");
    HttpRequest gzipped = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lstm.port() + "/invocations"))
        .header("Content-Type", MediaTypes.NPZ).header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(npz))).build();
    assertGolden(CLIENT.send(gzipped, HttpResponse.BodyHandlers.ofByteArray()),
        ExampleModel.LSTM_TWO_INPUTS.golden("batched"), "gzip");

    // 64 MB of zeros as one array: a few kB compressed, refused once unpacking passes the 1 MB limit.
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bomb)) {
      zip.putNextEntry(new java.util.zip.ZipEntry("input_1.npy"));
      zip.write(Npy.toBytes(Tensor.of(new long[] {16 << 20}, new float[16 << 20])));
    }
    assertThat(bomb.size()).isLessThan(200_000);
    assertThat(problem(post(lstm, MediaTypes.NPZ, null, bomb.toByteArray()), 413).get("detail").asString())
        .contains("unpacked");

    // The same with its size in the entry's header, as numpy's writer puts it: the declared 64 MB are not
    // allocated, and a header that understates the size does not get more read than it declares.
    byte[] zeros = Npy.toBytes(Tensor.of(new long[] {16 << 20}, new float[16 << 20]));
    assertThat(problem(post(lstm, MediaTypes.NPZ, null, deflatedWithSizes(zeros, zeros.length)), 413)
        .get("detail").asString()).contains("unpacked");
    assertThat(problem(post(lstm, MediaTypes.NPZ, null, deflatedWithSizes(zeros, 1000)), 400)
        .get("detail").asString()).contains("does not hold the 1000 bytes its zip header declares");
  }

  /** A one-entry archive, deflated, whose local header declares {@code declaredSize} (no data descriptor). */
  private static byte[] deflatedWithSizes(byte[] npy, long declaredSize) throws Exception {
    java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(npy);
    deflater.finish();
    byte[] chunk = new byte[1 << 16];
    long compressed = 0;
    while (!deflater.finished()) {
      compressed += deflater.deflate(chunk);
    }
    deflater.end();
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(npy);
    java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry("input_1.npy");
    entry.setSize(npy.length);
    entry.setCompressedSize(compressed);
    entry.setCrc(crc.getValue());
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(archive)) {
      zip.putNextEntry(entry);
      zip.write(npy);
    }
    byte[] bytes = archive.toByteArray();
    // The local header's uncompressed size (offset 22) and the central directory's (offset 24 of its entry).
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(22, (int) declaredSize);
    int central = bytes.length - 22 - 46 - entry.getName().length();
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(central + 24, (int) declaredSize);
    return bytes;
  }

  @Test
  void brokenNumpyFilesAre400() throws Exception {
    byte[] npy = read(ExampleModel.HOUSE_PRICES, "batched.npy");
    byte[] truncated = java.util.Arrays.copyOf(npy, npy.length - 3);

    assertThat(problem(post(houses, MediaTypes.NPY, null, truncated), 400).get("detail").asString())
        .contains("bytes follow it");
    assertThat(problem(post(houses, MediaTypes.NPY, null, bytes("{\"features\": [1]}")), 400)
        .get("detail").asString()).contains("not an .npy file");
    assertThat(problem(post(lstm, MediaTypes.NPZ, null, bytes("not a zip")), 400).get("detail").asString())
        .contains(".npz");
  }

  private static byte[] read(ExampleModel example, String file) throws Exception {
    return Files.readAllBytes(example.requestsDir().resolve(file));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<byte[]> post(SageMakerServer server, String contentType, String accept, byte[] body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/invocations")).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void assertGolden(HttpResponse<byte[]> response, GoldenCase golden, String what) throws Exception {
    assertThat(response.statusCode()).as("%s: %s", what, new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue(MediaTypes.JSON);
    Map<String, Tensor> outputs = new JsonTensorReader().read(new ByteArrayInputStream(response.body()));
    ExampleModel.assertMatchesGolden(outputs, golden);
  }

  private static JsonNode problem(HttpResponse<byte[]> response, int status) throws Exception {
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
    return JSON.readTree(response.body());
  }

  private static byte[] gzip(byte[] plain) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(plain);
    }
    return out.toByteArray();
  }
}
