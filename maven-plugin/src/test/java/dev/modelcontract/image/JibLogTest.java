package dev.modelcontract.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.LogEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JibLogTest {

  private final List<String> lines = new ArrayList<>();
  private final JibLog jibLog = new JibLog(lines::add);

  @Test
  void warningsAndErrorsReachTheBuildLogWithTheirLevel() {
    jibLog.accept(LogEvent.warn("Base image 'x' has no credentials"));
    jibLog.accept(LogEvent.error("cannot push"));

    assertThat(lines).containsExactly("WARN Base image 'x' has no credentials", "ERROR cannot push");
  }

  @Test
  void lifecycleProgressInfoAndDebugLinesStayOut() {
    jibLog.accept(LogEvent.lifecycle("Containerizing application..."));
    jibLog.accept(LogEvent.progress("Pushing layers"));
    jibLog.accept(LogEvent.info("Using base image"));
    jibLog.accept(LogEvent.debug("cache hit"));

    assertThat(lines).isEmpty();
  }

  @Test
  void theWarningOfABaseImageNamedByTagStaysOutAsTheBuildSaysItOnce() {
    jibLog.accept(LogEvent.warn("Base image 'eclipse-temurin:17-jre' does not use a specific image digest - build"
        + " may not be reproducible"));

    assertThat(lines).isEmpty();
  }
}
