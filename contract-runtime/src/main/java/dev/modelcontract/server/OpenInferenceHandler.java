package dev.modelcontract.server;

import io.netty.handler.codec.http.FullHttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The Open Inference Protocol's REST routes ({@link OpenInferenceRoute}): health, server and model metadata, and
 * inference, which the named model's own {@link InvocationsHandler} serves exactly as {@code /invocations} (or a
 * multi-model endpoint's {@code /models/NAME/invoke}) serves a body in this protocol's form. The name in a path is
 * resolved by {@link ServedModels}: a single-model server's one model, or a multi-model endpoint's loaded ones; a
 * name not served is 404, a model not ready 503. Refusals are problems; {@link RequestRouter} gives them the
 * protocol's {@code error} member ({@link Responses#openInference}).
 */
final class OpenInferenceHandler {

  private static final byte[] LIVE = "{\"live\":true}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] READY = "{\"ready\":true}".getBytes(StandardCharsets.UTF_8);

  private final ServedModels models;
  private final Supplier<Health> health;
  private final byte[] serverMetadata;

  /**
   * @param health the server's: a model is ready only while the server is (not while it drains)
   * @param version the server's version in {@code GET /v2}
   */
  OpenInferenceHandler(ServedModels models, Supplier<Health> health, String version) {
    this.models = models;
    this.health = health;
    this.serverMetadata = OpenInferenceMetadata.bytes(OpenInferenceMetadata.server(version));
  }

  CompletableFuture<Responses.Response> serve(FullHttpRequest request, String method, String path) {
    try {
      return route(request, method, path);
    } catch (RequestRefused e) {
      return CompletableFuture.completedFuture(e.response());
    }
  }

  private CompletableFuture<Responses.Response> route(FullHttpRequest request, String method, String path)
      throws RequestRefused {
    OpenInferenceRoute.Match match = OpenInferenceRoute.match(path);
    if (match == null) {
      throw new RequestRefused(ProblemType.NOT_FOUND.problem(path + " is not served; the Open Inference Protocol's"
          + " routes here are " + Arrays.stream(OpenInferenceRoute.values()).map(OpenInferenceRoute::template)
          .collect(Collectors.joining(", ")) + " (no versioned model paths)"));
    }
    ServedModel served = match.modelName() == null ? null : models.serving(match.modelName());
    if (match.route() == OpenInferenceRoute.INFER) {
      return served.serve(request, path, true);
    }
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      throw Refusals.notAllowed(method, path, "GET", "GET, HEAD");
    }
    return CompletableFuture.completedFuture(switch (match.route()) {
      case LIVE -> ok(LIVE);
      case READY -> ok(ready(READY));
      case SERVER_METADATA -> ok(serverMetadata);
      case MODEL_METADATA -> ok(served.metadata());
      case MODEL_READY -> ok(ready(OpenInferenceMetadata.bytes(TensorSchemas.NODES.objectNode()
          .put("name", served.name()).put("ready", true))));
      case INFER -> throw new IllegalStateException("served above");
    });
  }

  /**
   * The answer of a readiness route: 200 while the server is ready (a single-model server once its model is loaded
   * and has passed its checks, as /ping), 503 while it loads and once it drains.
   */
  private byte[] ready(byte[] body) throws RequestRefused {
    return switch (health.get()) {
      case READY -> body;
      case LOADING -> throw new RequestRefused(ProblemType.MODEL_LOADING.problem("the model is loading and has not"
          + " yet passed its checks (the contract's dry run and its golden pairs replayed on this CPU)"));
      case DRAINING -> throw new RequestRefused(ProblemType.MODEL_LOADING.problem("the server is draining: it"
          + " answers the requests it has read, then stops"));
    };
  }

  private static Responses.Response ok(byte[] body) {
    return new Responses.Response(200, MediaTypes.JSON, body);
  }
}
