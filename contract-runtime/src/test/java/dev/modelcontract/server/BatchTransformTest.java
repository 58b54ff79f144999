package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelcontract.inference.ExampleModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The one-input example served as a SageMaker batch transform job starts it (SAGEMAKER_BATCH=true, MULTI_RECORD,
 * MaxPayloadInMB=20): bodies of 10,000 records answered a line per record, in order, each line what a request of
 * its own is answered; a 20 MiB body served, and refused 413 at the real-time default.
 */
class BatchTransformTest {

  private static final int RECORDS = 10_000;
  private static final long MIB = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final Map<String, String> JOB = Map.of("SAGEMAKER_BATCH", "true", "SAGEMAKER_BATCH_STRATEGY",
      "MULTI_RECORD", "SAGEMAKER_MAX_PAYLOAD_IN_MB", "20");

  private static SageMakerServer job;
  private static SageMakerServer realTime;
  private static float[][] features;

  @BeforeAll
  static void start() throws Exception {
    ServerConfig base = TestServers.config(ExampleModel.HOUSE_PRICES, ServerConfig.maxRequestBytes(Map.of()), 1);
    job = TestServers.ready(base.withMaxRequestBytes(ServerConfig.maxRequestBytes(JOB))
        .withBatchTransform(BatchTransform.fromEnvironment(JOB)));
    realTime = TestServers.ready(base);
    Random random = new Random(21);
    features = new float[RECORDS][];
    for (int i = 0; i < RECORDS; i++) {
      features[i] = new float[] {1 + random.nextInt(6), 30 + 200 * random.nextFloat(), 80 * random.nextFloat(),
          25 * random.nextFloat(), random.nextInt(10), random.nextInt(2)};
    }
  }

  @AfterAll
  static void stop() {
    for (SageMakerServer server : new SageMakerServer[] {job, realTime}) {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void aJsonLinesBodyOf10000RecordsIsAnsweredAJsonLinePerRecordInOrder() throws Exception {
    StringBuilder body = new StringBuilder();
    for (float[] row : features) {
      body.append("{\"features\":").append(Arrays.toString(row)).append("}\n");
    }

    HttpResponse<String> response = post(job, MediaTypes.JSON_LINES, null, body.toString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(MediaTypes.JSON_LINES);
    String[] lines = response.body().split("\n", -1);
    assertThat(lines).hasSize(RECORDS + 1);
    assertThat(lines[RECORDS]).as("after the last line's newline").isEmpty();
    for (int i : new int[] {0, 1, 4321, RECORDS - 1}) {
      assertThat(JSON.readTree(lines[i]).get("price").get(0).asDouble()).as("line " + (i + 1))
          .isCloseTo(single(i), within(1e-3));
    }
  }

  @Test
  void aCsvBodyOf10000RecordsIsAnsweredACsvLinePerRecordInOrderOrAJsonLineWhereAsked() throws Exception {
    StringBuilder body = new StringBuilder();
    for (float[] row : features) {
      for (int column = 0; column < row.length; column++) {
        body.append(column == 0 ? "" : ",").append(row[column]);
      }
      body.append('\n');
    }

    HttpResponse<String> csv = post(job, MediaTypes.CSV, null, body.toString());
    HttpResponse<String> jsonLines = post(job, MediaTypes.CSV, MediaTypes.JSON_LINES, body.toString());
    HttpResponse<String> json = post(job, MediaTypes.CSV, MediaTypes.JSON, body.toString());

    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type")).as("the default for CSV records").hasValue(MediaTypes.CSV);
    String[] lines = csv.body().split("\n", -1);
    String[] jsonLineAnswers = jsonLines.body().split("\n", -1);
    assertThat(lines).hasSize(RECORDS + 1);
    assertThat(jsonLineAnswers).hasSize(RECORDS + 1);
    for (int i : new int[] {0, 1, 255, 256, 4321, RECORDS - 1}) {
      assertThat(Double.parseDouble(lines[i])).as("CSV line " + (i + 1)).isCloseTo(single(i), within(1e-3));
      assertThat(JSON.readTree(jsonLineAnswers[i]).get("price").get(0).asDouble()).as("JSON line " + (i + 1))
          .isCloseTo(single(i), within(1e-3));
    }
    assertThat(json.statusCode()).as("one JSON document would be one line for 10,000 records").isEqualTo(406);
    assertThat(JSON.readTree(json.body()).get("supported").asString()).isEqualTo("text/csv, application/jsonlines");
  }

  @Test
  void aRecordThatBreaksTheContractIsNamedAtItsRowInTheBody() throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      float[] row = features[i];
      for (int column = 0; column < row.length; column++) {
        // row 300's has-lift feature (std 0.5) overflows float32 once standardized
        body.append(column == 0 ? "" : ",").append(i == 299 && column == 5 ? "3.4028235e38" : row[column]);
      }
      body.append('\n');
    }

    HttpResponse<String> refused = post(job, MediaTypes.CSV, null, body.toString());

    assertThat(refused.statusCode()).isEqualTo(422);
    JsonNode problem = JSON.readTree(refused.body());
    assertThat(problem.get("pointer").asString()).as("the body's row 300, not row 44 of the second group of 256")
        .isEqualTo("/features/299/5");
    assertThat(problem.get("detail").asString()).startsWith("CSV rows 257 to 400");
  }

  @Test
  void outsideAMultiRecordJobACsvBodyIsOneBatchAnsweredInCsvWhereAsked() throws Exception {
    String rows = "4.45,73.2,21.1,7.7,1.9,0\n5.47,90.0,11.7,16.0,2.7,1\n";

    HttpResponse<String> csv = post(realTime, MediaTypes.CSV, MediaTypes.CSV, rows);
    HttpResponse<String> json = post(realTime, MediaTypes.CSV, null, rows);

    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.body().split("\n")).hasSize(2);
    assertThat(json.headers().firstValue("Content-Type")).as("the real-time default").hasValue(MediaTypes.JSON);
    JsonNode prices = JSON.readTree(json.body()).get("price");
    assertThat(Double.parseDouble(csv.body().split("\n")[1])).isCloseTo(prices.get(1).get(0).asDouble(),
        within(1e-6));
  }

  @Test
  void aBodyOf20MibIsServedUnderMaxPayloadInMb20AndRefused413AtTheDefault() throws Exception {
    int lines = 10_240;
    int lineBytes = 2048;
    StringBuilder body = new StringBuilder(lines * lineBytes);
    for (int i = 0; i < lines; i++) {
      String record = "{\"features\":" + Arrays.toString(features[i % RECORDS]) + "}";
      body.append(record).append(" ".repeat(lineBytes - record.length() - 1)).append('\n');
    }
    assertThat(body.length()).isEqualTo(20 * MIB);

    HttpResponse<String> served = post(job, MediaTypes.JSON_LINES, null, body.toString());
    HttpResponse<String> refused = post(realTime, MediaTypes.JSON_LINES, null, body.toString());

    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body().split("\n")).hasSize(lines);
    assertThat(refused.statusCode()).isEqualTo(413);
  }

  @Test
  void executionParametersSayWhatTheServerWorksWith() throws Exception {
    JsonNode jobParameters = executionParameters(job);
    JsonNode realTimeParameters = executionParameters(realTime);

    assertThat(jobParameters.get("BatchStrategy").asString()).isEqualTo("MULTI_RECORD");
    assertThat(jobParameters.get("MaxPayloadInMB").asInt()).isEqualTo(20);
    assertThat(jobParameters.get("MaxConcurrentTransforms").asInt()).as("8 per worker, 100 / 20 at most")
        .isEqualTo(5);
    assertThat(realTimeParameters.get("BatchStrategy").asString()).isEqualTo("SINGLE_RECORD");
    assertThat(realTimeParameters.get("MaxPayloadInMB").asInt()).isEqualTo(6);
    assertThat(realTimeParameters.get("MaxConcurrentTransforms").asInt()).isEqualTo(8);
    ServerConfig named = TestServers.config(ExampleModel.HOUSE_PRICES, 20 * MIB, 4)
        .withBatchTransform(new BatchTransform(true, BatchTransform.Strategy.MULTI_RECORD, 3));
    assertThat(ExecutionParameters.of(named, 1L << 40)).as("the job's own value")
        .isEqualTo(new ExecutionParameters(3, "MULTI_RECORD", 20));
    assertThat(ExecutionParameters.of(named.withBatchTransform(BatchTransform.NONE), 120 * MIB))
        .as("two 20 MiB bodies fit in 120 MiB of budget").isEqualTo(new ExecutionParameters(2, "SINGLE_RECORD", 20));
  }

  /** The price a request of its own for record i is answered. */
  private static double single(int i) throws Exception {
    HttpResponse<String> response = post(realTime, MediaTypes.JSON, null, "{\"features\":"
        + Arrays.toString(features[i]) + "}");
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body()).get("price").get(0).asDouble();
  }

  private static JsonNode executionParameters(SageMakerServer server) throws Exception {
    HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.port() + "/execution-parameters")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> post(SageMakerServer server, String type, String accept, String body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/invocations")).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
