package dev.modelcontract.server;

/** The paths this server answers; everything else is 404. */
final class Routes {

  static final String PING = "/ping";
  static final String INVOCATIONS = "/invocations";
  static final String METRICS = "/metrics";
  static final String EXECUTION_PARAMETERS = "/execution-parameters";
  /** SageMaker passes this request header through, and hands the response's back to the caller. */
  static final String CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes";

  private Routes() {}

  /** The path as a metrics label: one of the served paths or {@code other}, so labels stay few. */
  static String label(String path) {
    return switch (path) {
      case PING, INVOCATIONS, METRICS, EXECUTION_PARAMETERS -> path;
      default -> "other";
    };
  }

  /** The path of a request target, without query or fragment. */
  static String pathOf(String uri) {
    int end = uri.length();
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    return uri.substring(0, end);
  }
}
