package dev.modelcontract.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A body the JSON parser cannot read is refused in the request's terms: no parser class, method or feature. */
class ParserMessagesTest {

  private static String refusal(String json) {
    TensorFormatException e = catchThrowableOfType(TensorFormatException.class, () -> new JsonTensorReader()
        .read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    assertThat(e).as(json).isNotNull();
    return e.getMessage();
  }

  @Test
  void aNumberPastTheParsersLimitIsDescribedByItsLength() {
    assertThat(refusal("{\"x\": [" + "1".repeat(1200) + "]}"))
        .startsWith("the body is not valid JSON: a number of 1200 characters, more than the 1000 this server reads");
  }

  @Test
  void noRefusalSpeaksOfTheParser() {
    for (String json : List.of("{\"x\": [01]}", "{\"x\": [1] /* c */}", "{'x': [1]}", "{x: [1]}", "{\"x\": [1,]}",
        "{\"x\": [\"" + "a".repeat(30_000_000 / 1000) + "\u0001\"]}", "{\"x\": [1]", "{\"x\": [tru]}")) {
      String message = refusal(json);
      assertThat(message).as(json).startsWith("the body is not valid JSON: ")
          .doesNotContain("`", "Feature", "StreamReadConstraints", "JsonReadFeature", "java.", "enable", "Source:",
              "REDACTED", "#UNKNOWN");
    }
  }
}
