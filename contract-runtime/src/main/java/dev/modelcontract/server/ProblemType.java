package dev.modelcontract.server;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every kind of refusal the server answers, declared once: its status, type URI and title. Each problem+json the
 * server writes is made from one of these ({@link #problem}); the OpenAPI document lists them and the testkit's
 * probes expect them.
 */
public enum ProblemType {
  MALFORMED_REQUEST(400, "malformed-request", "Malformed HTTP request", Scope.ANY_ROUTE),
  MALFORMED_BODY(400, "malformed-body", "Malformed request body", Scope.INVOCATIONS),
  NOT_FOUND(404, "not-found", "Not found", Scope.UNROUTED),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed", Scope.UNROUTED),
  MODEL_EXISTS(409, "model-exists", "Model already loaded", Scope.MODELS),
  NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable", Scope.INVOCATIONS),
  REQUEST_TIMEOUT(408, "request-timeout", "Request timeout", Scope.ANY_ROUTE),
  PAYLOAD_TOO_LARGE(413, "payload-too-large", "Request body too large", Scope.ANY_ROUTE),
  URI_TOO_LONG(414, "uri-too-long", "URI too long", Scope.ANY_ROUTE),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported Content-Type", Scope.INVOCATIONS),
  UNSUPPORTED_CONTENT_ENCODING(415, "unsupported-content-encoding", "Unsupported Content-Encoding",
      Scope.ANY_ROUTE),
  EXPECTATION_FAILED(417, "expectation-failed", "Expectation failed", Scope.ANY_ROUTE),
  CONTRACT_VIOLATION(422, "contract-violation", "Request breaks the model contract", Scope.INVOCATIONS),
  INPUT_SKEW(422, "input-skew", "Request far from the model's training statistics", Scope.INVOCATIONS),
  MODEL_NOT_LOADABLE(422, "model-not-loadable", "Model not loadable", Scope.MODELS),
  HEADERS_TOO_LARGE(431, "headers-too-large", "Request header fields too large", Scope.ANY_ROUTE),
  INTERNAL_ERROR(500, "internal-error", "Internal server error", Scope.ANY_ROUTE),
  OUTPUT_MISMATCH(500, "output-mismatch", "Model output breaks the model contract", Scope.INVOCATIONS),
  MODEL_FAILURE(500, "model-failure", "Model failed", Scope.INVOCATIONS),
  MODEL_LOADING(503, "model-loading", "Model not ready", Scope.INVOCATIONS),
  OVERLOADED(503, "overloaded", "Server overloaded", Scope.ANY_ROUTE),
  HTTP_VERSION_NOT_SUPPORTED(505, "http-version-not-supported", "HTTP version not supported", Scope.ANY_ROUTE),
  INSUFFICIENT_MEMORY(507, "insufficient-memory", "Not enough memory for the model", Scope.MODELS);

  /** The prefix of every problem's {@code type} URI. */
  public static final String TYPE_BASE = "https://modelcontract.dev/problems/";

  /**
   * Where a problem can be answered: on any served route (HTTP itself, and what {@link RequestGuard} decides from
   * any request's head: its coding, its declared length, the body budget), only to a body sent for inference, only
   * to a path or method that is not served, or only on a multi-model endpoint's {@code /models} routes.
   */
  enum Scope { ANY_ROUTE, INVOCATIONS, UNROUTED, MODELS }

  private final int status;
  private final String slug;
  private final String title;
  private final Scope scope;

  ProblemType(int status, String slug, String title, Scope scope) {
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.scope = scope;
  }

  public int status() {
    return status;
  }

  /** The short name, e.g. {@code contract-violation}: the type URI's last segment. */
  public String slug() {
    return slug;
  }

  public String uri() {
    return TYPE_BASE + slug;
  }

  /** The summary, the same for every problem of this type. */
  public String title() {
    return title;
  }

  /** A problem of this type. */
  public Problem problem(String detail) {
    return new Problem(this, detail, Map.of());
  }

  /** A problem of this type with extension members, in order: {@code problem(detail, "input", "x", ...)}. */
  public Problem problem(String detail, String... membersInOrder) {
    return new Problem(this, detail, Problem.members(membersInOrder));
  }

  /**
   * The problems a served route may answer, in catalogue order: what the OpenAPI document lists for its operations.
   *
   * @param inference whether the route takes bodies for inference ({@code /invocations})
   */
  public static List<ProblemType> answeredOn(boolean inference) {
    return Arrays.stream(values()).filter(type -> type.scope == Scope.ANY_ROUTE
        || inference && type.scope == Scope.INVOCATIONS).toList();
  }
}
