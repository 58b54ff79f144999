package dev.modelcontract.server;

import java.io.ByteArrayOutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 *
 * @param status the HTTP status
 * @param type the problem type's short name, e.g. {@code shape-mismatch}
 * @param title a summary that is the same for every problem of this type
 * @param detail what went wrong in this request
 * @param extensions further members, e.g. {@code input}, {@code expected}, {@code actual}
 */
public record Problem(int status, String type, String title, String detail, Map<String, String> extensions) {

  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_BASE = "https://modelcontract.dev/problems/";

  private static final JsonFactory JSON = JsonFactory.builder().build();

  public Problem {
    extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
  }

  public Problem(int status, String type, String title, String detail) {
    this(status, type, title, detail, Map.of());
  }

  /** Extension members in the order given: {@code members("input", "input_1", "expected", "...")}. */
  public static Map<String, String> members(String... keysAndValues) {
    Map<String, String> members = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      members.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return members;
  }

  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      json.writeStartObject();
      json.writeStringProperty("type", TYPE_BASE + type);
      json.writeStringProperty("title", title);
      json.writeNumberProperty("status", status);
      json.writeStringProperty("detail", detail);
      for (Map.Entry<String, String> extension : extensions.entrySet()) {
        json.writeStringProperty(extension.getKey(), extension.getValue());
      }
      json.writeEndObject();
    }
    return out.toByteArray();
  }
}
