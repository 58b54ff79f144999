package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import dev.modelcontract.inference.ExampleModel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The memory request bodies in flight may take: reserved from each head, given back with each answer. */
class BodyBudgetTest {

  @Test
  void aRequestFitsWhileTheBudgetLastsAndTheFirstAlways() {
    BodyBudget budget = new BodyBudget(100);

    assertThat(budget.tryReserve(150)).as("the first request, larger than the budget").isTrue();
    assertThat(budget.tryReserve(1)).isFalse();
    assertThat(budget.tryReserve(0)).as("a request without a body, such as GET /ping").isTrue();
    budget.release(150);
    assertThat(budget.tryReserve(60)).isTrue();
    assertThat(budget.tryReserve(40)).isTrue();
    assertThat(budget.tryReserve(1)).isFalse();
    assertThat(budget.reserved()).isEqualTo(100);
  }

  @Test
  void aBatchTransformJobsLargestBodiesAreAdmittedAloneWhereTheBudgetHoldsLessThanOne() {
    long mib = 1 << 20;
    BodyBudget smallest = new BodyBudget(80 * mib); // a 512 MiB container (docs/configuration.md#memory)

    long twentyMb = BodyBudget.cost(20 * mib, false, 20 * mib);
    long hundredMb = BodyBudget.cost(100 * mib, false, 100 * mib);
    assertThat(twentyMb).isEqualTo(60 * mib);
    assertThat(smallest.tryReserve(twentyMb)).as("a 20 MiB body: 60 MiB of 80").isTrue();
    assertThat(smallest.tryReserve(twentyMb)).as("a second, until the first is answered").isFalse();
    smallest.release(twentyMb);
    assertThat(smallest.tryReserve(hundredMb)).as("a 100 MiB body costs 300 MiB, and the first is admitted")
        .isTrue();
    assertThat(smallest.tryReserve(1)).isFalse();
    smallest.release(hundredMb);
    BodyBudget twoGib = new BodyBudget(464 * mib);
    assertThat(twoGib.tryReserve(hundredMb)).isTrue();
    assertThat(twoGib.tryReserve(hundredMb)).as("464 MiB hold one 100 MiB body at a time").isFalse();
  }

  @Test
  void aBodyCostsThreeTimesItsLengthOrTheLimitWhenItsSizeIsUnknown() {
    assertThat(BodyBudget.cost(1000, false, 6000)).isEqualTo(3000);
    assertThat(BodyBudget.cost(1000, true, 6000)).isEqualTo(18_000);
    assertThat(BodyBudget.cost(-1, false, 6000)).isZero();
  }

  @Test
  void aLargeBodyThatDoesNotFitIsAnswered503RetryAfterFromItsHeadDroppedAndTheNextFitsOnceTheFirstIsAnswered()
      throws Exception {
    byte[] body = ("{\"input_1\": [[" + "[1, 2, 3, 4], ".repeat(40_000) + "[1, 2, 3, 4]]]}")
        .getBytes(StandardCharsets.UTF_8);
    ServerConfig config = TestServers.config(ExampleModel.LSTM_TWO_INPUTS, 1 << 20, 1)
        .withInFlightBodyBytes(body.length); // one body's cost is three of these: a second does not fit
    try (SageMakerServer server = TestServers.ready(config);
        RawHttp first = RawHttp.connect(server.port());
        RawHttp second = RawHttp.connect(server.port())) {
      String head = RawHttp.head("POST /invocations HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
          "Content-Length: " + body.length);
      first.send(head);
      first.send(new String(body, 0, 1000, StandardCharsets.ISO_8859_1));

      second.send(head);
      RawHttp.Response refused = second.read();

      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      assertThat(refused.header("Connection")).as("the body is read and dropped, the connection stays").isNull();
      JsonNode problem = refused.json();
      assertThat(problem.get("type").asString()).endsWith("/overloaded");
      assertThat(problem.get("detail").asString()).contains("of request bodies in flight");
      try (RawHttp ping = RawHttp.connect(server.port())) {
        assertThat(ping.send(RawHttp.get("/ping")).read().status()).as("while the budget is spent").isEqualTo(200);
      }

      second.send(new String(body, StandardCharsets.ISO_8859_1));
      first.send(new String(body, 1000, body.length - 1000, StandardCharsets.ISO_8859_1));
      assertThat(first.read().status()).as("the first, T over the contract's max").isEqualTo(422);
      second.send(head);
      second.send(new String(body, StandardCharsets.ISO_8859_1));
      assertThat(second.read().status()).as("the refused connection's next request, once the first was answered")
          .isEqualTo(422);
    }
  }
}
