package dev.modelcontract.contract;

/** RFC 6901 JSON Pointers, the way every message names a field of a contract or a value of a request. */
public final class JsonPointer {

  private JsonPointer() {}

  /** One reference token: {@code ~} becomes {@code ~0} and {@code /} becomes {@code ~1}. */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
