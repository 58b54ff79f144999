package dev.modelcontract.server;

import dev.modelcontract.enforcement.ContractModel;
import io.netty.handler.codec.http.FullHttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The Open Inference Protocol's REST routes ({@link OpenInferenceRoute}) over the one model this server holds:
 * health, server and model metadata, and inference, which {@link InvocationsHandler} serves exactly as
 * {@code /invocations} serves a body in this protocol's form. Another model name is 404. Refusals are problems;
 * {@link RequestRouter} gives them the protocol's {@code error} member ({@link Responses#openInference}).
 */
final class OpenInferenceHandler {

  private static final byte[] LIVE = "{\"live\":true}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] READY = "{\"ready\":true}".getBytes(StandardCharsets.UTF_8);

  private final InvocationsHandler invocations;
  private final Supplier<ContractModel> model;
  private final Supplier<Health> health;
  private final Optional<String> configuredName;
  private final byte[] serverMetadata;
  private volatile Metadata metadata;

  /** A loaded model's name and metadata answer. */
  private record Metadata(ContractModel model, String name, byte[] body) {}

  /**
   * @param configuredName the model's name where the image states one; else it is known once the model is loaded
   * @param version the server's version in {@code GET /v2}
   */
  OpenInferenceHandler(InvocationsHandler invocations, Supplier<ContractModel> model, Supplier<Health> health,
      Optional<String> configuredName, String version) {
    this.invocations = invocations;
    this.model = model;
    this.health = health;
    this.configuredName = configuredName;
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
    Metadata served = match.modelName() == null ? null : served(match.modelName());
    if (match.route() == OpenInferenceRoute.INFER) {
      return invocations.serveOpenInference(request, path);
    }
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      throw Refusals.notAllowed(method, path, "GET", "GET, HEAD");
    }
    return CompletableFuture.completedFuture(switch (match.route()) {
      case LIVE -> ok(LIVE);
      case READY -> ok(ready(READY));
      case SERVER_METADATA -> ok(serverMetadata);
      case MODEL_METADATA -> ok(served.body());
      case MODEL_READY -> ok(ready(("{\"name\":\"" + served.name() + "\",\"ready\":true}")
          .getBytes(StandardCharsets.UTF_8)));
      case INFER -> throw new IllegalStateException("served above");
    });
  }

  /** The answer of a readiness route: 200 once the model is loaded and has passed its checks, as /ping. */
  private byte[] ready(byte[] body) throws RequestRefused {
    return switch (health.get()) {
      case READY -> body;
      case LOADING -> throw new RequestRefused(ProblemType.MODEL_LOADING.problem("the model is loading and has not"
          + " yet passed its checks (the contract's dry run and its golden pairs replayed on this CPU)"));
      case DRAINING -> throw new RequestRefused(ProblemType.MODEL_LOADING.problem("the server is draining: it"
          + " answers the requests it has read, then stops"));
    };
  }

  /**
   * The served model's metadata where a path names it; 404 for another name, 503 while the model is loading (its
   * contract is read then).
   */
  private Metadata served(String requested) throws RequestRefused {
    ContractModel loaded = model.get();
    String name = loaded != null ? invocations.formats(loaded).modelName() : configuredName.orElse(null);
    if (name != null && !name.equals(requested)) {
      throw new RequestRefused(ProblemType.NOT_FOUND.problem("no model named '" + requested + "' is served here;"
          + " this server serves '" + name + "' (GET " + OpenInferenceRoute.PREFIX + "/models/" + name + ")",
          "model", requested));
    }
    if (loaded == null) {
      throw new RequestRefused(ProblemType.MODEL_LOADING.problem("the model is still loading; retry once GET "
          + OpenInferenceRoute.READY.template() + " answers 200"));
    }
    Metadata current = metadata;
    if (current == null || current.model() != loaded) {
      current = new Metadata(loaded, name, OpenInferenceMetadata.bytes(OpenInferenceMetadata.model(loaded.contract(),
          name)));
      metadata = current;
    }
    return current;
  }

  private static Responses.Response ok(byte[] body) {
    return new Responses.Response(200, MediaTypes.JSON, body);
  }
}
