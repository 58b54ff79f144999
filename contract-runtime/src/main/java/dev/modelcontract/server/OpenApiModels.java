package dev.modelcontract.server;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an OpenAPI document says of the models its server serves, where the two kinds of server differ: a single-model
 * server's one contract ({@link SingleModelOpenApi}), or a multi-model endpoint's models, whose contracts are known
 * only once they are loaded ({@link MultiModelOpenApi}). The routes both serve alike are {@link OpenApiDocument}'s.
 */
interface OpenApiModels {

  /** Every path the server serves, as its document lists them ({@link Routes}). */
  List<String> routes();

  /** What the server is, for the document's description. */
  String description();

  /** When the server is ready and when not, for {@code /ping} and {@code /v2/health/ready}. */
  String readiness();

  /** What {@code /ping} may answer. */
  List<Health> health();

  /** Describes a route only this kind of server serves: {@code /invocations}, or the {@code /models} routes. */
  void route(ObjectNode path, String route);

  /** Which names the {@code model_name} path parameter takes. */
  String modelNameDescription();

  /** The schema of the {@code model_name} path parameter. */
  ObjectNode modelName();

  /** The schema of a model's name in the answers that give it ({@code GET /v2/models/{model_name}/ready}). */
  ObjectNode answeredName();

  /** The schema of {@code GET /v2/models/{model_name}}'s answer. */
  ObjectNode metadata();

  /** The schema of the Open Inference Protocol's inference request. */
  ObjectNode inferRequest();

  /** The schema of the Open Inference Protocol's answer to it. */
  ObjectNode inferAnswer();
}
