package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

  private final List<String> lines = new ArrayList<>();
  private final AtomicLong clock = new AtomicLong();
  private final RefusalLog log = new RefusalLog(20, lines::add, clock::get);

  @Test
  void eachRefusalIsOneLineNamingStatusTypeAndInput() {
    log.refused("POST", "/invocations", ProblemType.CONTRACT_VIOLATION.problem(
        "input 'input_2': expected an array", "input", "input_2"));
    log.timedOut("/10.0.0.7:51234", "reading POST /invocations after 60 s");

    assertThat(lines).containsExactly(
        "refused POST /invocations 422 contract-violation input=input_2: input 'input_2': expected an array",
        "timed out reading POST /invocations after 60 s from /10.0.0.7:51234");
  }

  @Test
  void aBurstIsCutAtTheRateAndTheNextLineSaysHowManyWereLeftOut() {
    Problem problem = ProblemType.MALFORMED_BODY.problem("not JSON");
    for (int i = 0; i < 1000; i++) {
      log.refused("POST", "/invocations", problem);
    }
    assertThat(lines).hasSize(20);

    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1001));
    log.refused("POST", "/invocations", problem);

    assertThat(lines).hasSize(22);
    assertThat(lines.get(20)).isEqualTo("(980 more refusals and timeouts were not logged: at most 20 lines a second)");
  }
}
