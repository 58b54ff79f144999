package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelcontract.testkit.SageMakerContainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The one-input example's image as a SageMaker batch transform job starts it (SAGEMAKER_BATCH=true, MULTI_RECORD,
 * MaxPayloadInMB=20): JSON Lines and CSV bodies of 10,000 records answered a line per record, in order, each line
 * what a request of its own for that record is answered; a body of 20 MiB served; /execution-parameters saying so.
 */
class BatchTransformIT {

  private static final int RECORDS = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aMultiRecordJobsBodiesAreAnsweredALinePerRecordInOrder() throws Exception {
    float[][] features = records();
    try (SageMakerContainer container = new SageMakerContainer("house-prices:1.0.0")
        .withEnv("SAGEMAKER_BATCH", "true")
        .withEnv("SAGEMAKER_BATCH_STRATEGY", "MULTI_RECORD")
        .withEnv("SAGEMAKER_MAX_PAYLOAD_IN_MB", "20")) {
      container.start();
      URI invocations = container.getInvocationsUri();

      JsonNode parameters = JSON.readTree(http.send(HttpRequest.newBuilder(container.getEndpoint()
          .resolve("/execution-parameters")).build(), HttpResponse.BodyHandlers.ofString()).body());
      assertThat(parameters.get("BatchStrategy").asString()).isEqualTo("MULTI_RECORD");
      assertThat(parameters.get("MaxPayloadInMB").asInt()).isEqualTo(20);

      StringBuilder jsonLines = new StringBuilder();
      StringBuilder csv = new StringBuilder();
      for (float[] row : features) {
        jsonLines.append("{\"features\":").append(Arrays.toString(row)).append("}\n");
        for (int column = 0; column < row.length; column++) {
          csv.append(column == 0 ? "" : ",").append(row[column]);
        }
        csv.append('\n');
      }
      String[] jsonAnswers = lines(post(invocations, "application/jsonlines", jsonLines.toString()),
          "application/jsonlines", RECORDS);
      String[] csvAnswers = lines(post(invocations, "text/csv", csv.toString()), "text/csv", RECORDS);
      for (int i = 0; i < RECORDS; i++) {
        assertThat(Double.parseDouble(csvAnswers[i])).as("CSV line " + (i + 1))
            .isCloseTo(JSON.readTree(jsonAnswers[i]).get("price").get(0).asDouble(), within(1e-3));
      }
      for (int i : new int[] {0, 1, 255, 256, 5000, RECORDS - 1}) {
        HttpResponse<String> single = post(invocations, "application/json", "{\"features\":"
            + Arrays.toString(features[i]) + "}");
        assertThat(single.statusCode()).isEqualTo(200);
        assertThat(Double.parseDouble(csvAnswers[i])).as("record " + (i + 1) + " against a request of its own")
            .isCloseTo(JSON.readTree(single.body()).get("price").get(0).asDouble(), within(1e-3));
      }

      int lineBytes = 2048;
      int count = 20 * 1024 * 1024 / lineBytes;
      StringBuilder large = new StringBuilder(count * lineBytes);
      for (int i = 0; i < count; i++) {
        String record = "{\"features\":" + Arrays.toString(features[i % RECORDS]) + "}";
        large.append(record).append(" ".repeat(lineBytes - record.length() - 1)).append('\n');
      }
      String[] largeAnswers = lines(post(invocations, "application/jsonlines", large.toString()),
          "application/jsonlines", count);
      assertThat(largeAnswers[RECORDS]).as("record 10,001 is record 1 again").isEqualTo(jsonAnswers[0]);
    }
  }

  /** The answer's lines, checked: 200, the type, one line per record and a newline after the last. */
  private static String[] lines(HttpResponse<String> response, String type, int records) {
    assertThat(response.statusCode()).as(response.body().length() > 500 ? response.body().substring(0, 500)
        : response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(type);
    String[] lines = response.body().split("\n", -1);
    assertThat(lines).hasSize(records + 1);
    assertThat(lines[records]).isEmpty();
    return Arrays.copyOf(lines, records);
  }

  private static float[][] records() {
    Random random = new Random(21);
    float[][] features = new float[RECORDS][];
    for (int i = 0; i < RECORDS; i++) {
      features[i] = new float[] {1 + random.nextInt(6), 30 + 200 * random.nextFloat(), 80 * random.nextFloat(),
          25 * random.nextFloat(), random.nextInt(10), random.nextInt(2)};
    }
    return features;
  }

  private HttpResponse<String> post(URI invocations, String type, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(invocations).header("Content-Type", type).timeout(Duration.ofMinutes(2))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
