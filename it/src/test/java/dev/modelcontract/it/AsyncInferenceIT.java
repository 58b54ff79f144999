package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelcontract.testkit.SageMakerContainer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one-input example's image as an asynchronous inference endpoint meets it: a body far larger than a real-time
 * one (200 MiB of JSON Lines, as S3 hands it over with its length), under a 1 GiB memory limit whose direct buffers
 * (104 MiB) could not hold it: served, because the body is collected once, on the heap; the same body sent chunked
 * (no length) is refused 413 past a quarter of the heap, and the server goes on serving.
 */
class AsyncInferenceIT {

  private static final int LINE_BYTES = 2048;
  private static final int BODY_MIB = 200;
  private static final int DISTINCT = 1000;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aBodyLargerThanTheDirectBuffersIsServedUnderAOneGibLimit() throws Exception {
    String[] records = records();
    int lines = BODY_MIB * 1024 * 1024 / LINE_BYTES;
    byte[] body = new byte[lines * LINE_BYTES];
    Arrays.fill(body, (byte) ' ');
    for (int i = 0; i < lines; i++) {
      byte[] record = records[i % DISTINCT].getBytes(StandardCharsets.UTF_8);
      System.arraycopy(record, 0, body, i * LINE_BYTES, record.length);
      body[(i + 1) * LINE_BYTES - 1] = '\n';
    }
    try (SageMakerContainer container = new SageMakerContainer("house-prices:1.0.0")
        .withEnv("MODEL_CONTRACT_MAX_REQUEST_BYTES", Integer.toString(300 << 20))) {
      container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withMemory(1L << 30));
      container.start();
      URI invocations = container.getInvocationsUri();

      HttpResponse<String> answer = http.send(post(invocations, HttpRequest.BodyPublishers.ofByteArray(body)),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body().substring(0, Math.min(300, answer.body().length())))
          .isEqualTo(200);
      String[] answers = answer.body().split("\n");
      assertThat(answers).hasSize(lines);
      for (int i : new int[] {0, 1, DISTINCT - 1, lines / 2, lines - 1}) {
        HttpResponse<String> single = http.send(post(invocations, HttpRequest.BodyPublishers.ofString(
            records[i % DISTINCT])), HttpResponse.BodyHandlers.ofString());
        assertThat(price(answers[i])).as("line " + (i + 1) + " against a request of its own (a batched forward pass"
            + " may differ in the last float32 digits)").isCloseTo(price(single.body()), within(1e-5 * (1
            + Math.abs(price(single.body())))));
      }
      long rss = Long.parseLong(ImageShell.serverStatus(container, "VmRSS"));
      System.out.printf("a %d MiB body of %d JSON lines served under --memory 1g: server RSS %d MiB after it%n",
          BODY_MIB, lines, rss >> 10);

      HttpResponse<String> chunked = http.send(post(invocations, HttpRequest.BodyPublishers.ofInputStream(() ->
          new UnknownLength(body))), HttpResponse.BodyHandlers.ofString());
      assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
      assertThat(chunked.body()).contains("send it with its Content-Length");

      HttpResponse<String> after = http.send(post(invocations, HttpRequest.BodyPublishers.ofString(records[0])),
          HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(price(after.body())).isCloseTo(price(answers[0]), within(1e-5 * (1 + Math.abs(price(answers[0])))));
    }
  }

  /** The one price of an answer, {"price":[p]}. */
  private static double price(String answer) {
    return JSON.readTree(answer).get("price").get(0).asDouble();
  }

  private static HttpRequest post(URI uri, HttpRequest.BodyPublisher body) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).header("Content-Type", "application/jsonlines")
        .POST(body).build();
  }

  /** Distinct house records, each a JSON line of the example's one input. */
  private static String[] records() {
    Random random = new Random(11);
    String[] records = new String[DISTINCT];
    for (int i = 0; i < DISTINCT; i++) {
      records[i] = String.format(java.util.Locale.ROOT, "{\"features\":[%.3f,%.3f,%.3f,%.3f,%.3f,%d.0]}",
          1 + 7 * random.nextDouble(), 50 + 100 * random.nextDouble(), 30 * random.nextDouble(),
          20 * random.nextDouble(), 1 + 3 * random.nextDouble(), i % 2);
    }
    return records;
  }

  /** The body as a stream of unknown length: the client sends it chunked. */
  private static final class UnknownLength extends InputStream {
    private final byte[] bytes;
    private int at;

    UnknownLength(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return at < bytes.length ? bytes[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      if (at >= bytes.length) {
        return -1;
      }
      int n = Math.min(length, bytes.length - at);
      System.arraycopy(bytes, at, into, offset, n);
      at += n;
      return n;
    }
  }
}
