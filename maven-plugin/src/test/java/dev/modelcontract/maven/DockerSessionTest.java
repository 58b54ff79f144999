package dev.modelcontract.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DockerSessionTest {

  @Test
  void theCleanUpRunsOnlyWhenTheLastGoalUsingDockerEnds() {
    AtomicInteger cleanUps = new AtomicInteger();
    DockerSession.enter(); // module A
    DockerSession.enter(); // module B, in parallel (mvn -T)

    assertThat(DockerSession.exit(cleanUps::incrementAndGet)).as("A ends while B's container runs").isFalse();
    assertThat(cleanUps).hasValue(0);
    assertThat(DockerSession.exit(cleanUps::incrementAndGet)).as("B ends last").isTrue();
    assertThat(cleanUps).hasValue(1);
  }

  @Test
  void aGoalStartingDuringTheCleanUpWaitsForIt() throws Exception {
    CountDownLatch cleaning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean enteredDuringCleanUp = new AtomicBoolean();
    AtomicBoolean cleanUpDone = new AtomicBoolean();
    DockerSession.enter();
    Thread last = new Thread(() -> DockerSession.exit(() -> {
      cleaning.countDown();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      cleanUpDone.set(true);
    }));
    last.start();
    assertThat(cleaning.await(5, TimeUnit.SECONDS)).isTrue();

    Thread next = new Thread(() -> {
      DockerSession.enter();
      enteredDuringCleanUp.set(!cleanUpDone.get());
    });
    next.start();
    next.join(200);
    assertThat(next.isAlive()).as("the next goal waits while the clean-up runs").isTrue();
    release.countDown();
    next.join(5000);
    last.join(5000);

    assertThat(enteredDuringCleanUp).isFalse();
    assertThat(DockerSession.exit(() -> { })).isTrue();
  }
}
