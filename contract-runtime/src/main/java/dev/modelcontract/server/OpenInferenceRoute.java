package dev.modelcontract.server;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Open Inference Protocol's REST routes (KServe's v2 protocol, also spoken by Triton and MLServer clients), by
 * their OpenAPI path templates. Versioned model paths ({@code /v2/models/NAME/versions/V/...}) are not served: the
 * server holds one version of each model it serves.
 */
enum OpenInferenceRoute {
  LIVE("/v2/health/live"),
  READY("/v2/health/ready"),
  SERVER_METADATA("/v2"),
  MODEL_METADATA("/v2/models/{model_name}"),
  MODEL_READY("/v2/models/{model_name}/ready"),
  INFER("/v2/models/{model_name}/infer");

  /** The path every route starts with. */
  static final String PREFIX = "/v2";
  private static final String MODELS = PREFIX + "/models/";

  private final String template;

  OpenInferenceRoute(String template) {
    this.template = template;
  }

  /** The route's path as OpenAPI writes it, e.g. {@code /v2/models/{model_name}/infer}. */
  String template() {
    return template;
  }

  /**
   * A path matched to its route.
   *
   * @param modelName the model named in the path; null on the server's routes
   */
  record Match(OpenInferenceRoute route, String modelName) {}

  /** The route of an OpenAPI path template. */
  static Optional<OpenInferenceRoute> ofTemplate(String template) {
    return Arrays.stream(values()).filter(route -> route.template.equals(template)).findFirst();
  }

  /** Whether a path is under {@code /v2}: this protocol's to answer, its errors in its form. */
  static boolean claims(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  /** The route a path takes; null where none does. */
  static Match match(String path) {
    for (OpenInferenceRoute route : new OpenInferenceRoute[] {LIVE, READY, SERVER_METADATA}) {
      if (route.template.equals(path)) {
        return new Match(route, null);
      }
    }
    if (!path.startsWith(MODELS)) {
      return null;
    }
    String rest = path.substring(MODELS.length());
    int slash = rest.indexOf('/');
    String name = slash < 0 ? rest : rest.substring(0, slash);
    if (name.isEmpty()) {
      return null;
    }
    return switch (slash < 0 ? "" : rest.substring(slash)) {
      case "" -> new Match(MODEL_METADATA, name);
      case "/ready" -> new Match(MODEL_READY, name);
      case "/infer" -> new Match(INFER, name);
      default -> null;
    };
  }
}
