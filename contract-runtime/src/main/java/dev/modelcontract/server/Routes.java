package dev.modelcontract.server;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The paths this server answers; everything else is 404. SageMaker's routes are fixed paths, and a multi-model
 * endpoint's /models routes ({@link ModelsHandler}) name a model; the Open Inference Protocol's are under {@code /v2}
 * ({@link OpenInferenceRoute}). Paths that name a model are written here as OpenAPI path templates.
 */
final class Routes {

  static final String PING = "/ping";
  static final String INVOCATIONS = "/invocations";
  static final String METRICS = "/metrics";
  static final String EXECUTION_PARAMETERS = "/execution-parameters";
  /** A multi-model endpoint's model, as its /models routes name it. */
  static final String MODEL = ModelsHandler.MODELS + "/{model_name}";
  static final String MODEL_INVOKE = MODEL + ModelsHandler.INVOKE;
  /** Every path a single-model server serves, as its OpenAPI document lists them: SageMaker's, then the OIP's. */
  static final List<String> SERVED = withOpenInference(PING, INVOCATIONS, EXECUTION_PARAMETERS, METRICS);
  /**
   * Every path a multi-model endpoint serves, as its OpenAPI document lists them: SageMaker's less /invocations
   * (answered 404: a model is invoked by name), its /models routes, then the OIP's, each loaded model by its name.
   */
  static final List<String> MULTI_MODEL_SERVED = withOpenInference(PING, EXECUTION_PARAMETERS, METRICS,
      ModelsHandler.MODELS, MODEL, MODEL_INVOKE);
  /** SageMaker passes this request header through, and hands the response's back to the caller. */
  static final String CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes";

  private Routes() {}

  private static List<String> withOpenInference(String... paths) {
    return Stream.concat(Arrays.stream(paths), Arrays.stream(OpenInferenceRoute.values())
        .map(OpenInferenceRoute::template)).toList();
  }

  /**
   * The path as a metrics label: one of the served paths (an Open Inference Protocol route's template, whatever the
   * model's name) or {@code other}, so labels stay few.
   */
  static String label(String path) {
    return switch (path) {
      case PING, INVOCATIONS, METRICS, EXECUTION_PARAMETERS -> path;
      case ModelsHandler.MODELS -> path;
      default -> {
        if (ModelsHandler.claims(path)) {
          yield path.endsWith(ModelsHandler.INVOKE) ? MODEL_INVOKE : MODEL;
        }
        OpenInferenceRoute.Match match = OpenInferenceRoute.match(path);
        yield match == null ? "other" : match.route().template();
      }
    };
  }

  /**
   * The path of a request target, without query or fragment. An absolute-form target ({@code http://host/ping}, which
   * a server must accept, RFC 9112 section 3.2.2) has the path after its authority, "/" where it has none.
   */
  static String pathOf(String uri) {
    int start = 0;
    if (uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8)) {
      int slash = uri.indexOf('/', uri.indexOf("//") + 2);
      if (slash < 0) {
        return "/";
      }
      start = slash;
    }
    int end = uri.length();
    for (int i = start; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    return end == start ? "/" : uri.substring(start, end);
  }
}
