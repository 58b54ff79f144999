package dev.modelcontract.server;

import java.io.ByteArrayOutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}). Made from
 * its {@link ProblemType}, which gives the status, type URI and title.
 *
 * @param type what kind of refusal this is
 * @param detail what went wrong in this request
 * @param extensions further members, e.g. {@code input}, {@code expected}, {@code actual}
 */
public record Problem(ProblemType type, String detail, Map<String, String> extensions) {

  public static final String MEDIA_TYPE = "application/problem+json";

  private static final JsonFactory JSON = JsonFactory.builder().build();

  public Problem {
    extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
  }

  public int status() {
    return type.status();
  }

  public String title() {
    return type.title();
  }

  /** Extension members in the order given: {@code members("input", "input_1", "expected", "...")}. */
  static Map<String, String> members(String... keysAndValues) {
    Map<String, String> members = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      members.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return members;
  }

  /** The same problem with one more extension member (replacing one of that name). */
  Problem withMember(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(extensions);
    more.put(name, value);
    return new Problem(type, detail, more);
  }

  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      json.writeStartObject();
      json.writeStringProperty("type", type.uri());
      json.writeStringProperty("title", type.title());
      json.writeNumberProperty("status", type.status());
      json.writeStringProperty("detail", detail);
      for (Map.Entry<String, String> extension : extensions.entrySet()) {
        json.writeStringProperty(extension.getKey(), extension.getValue());
      }
      json.writeEndObject();
    }
    return out.toByteArray();
  }
}
