package dev.modelcontract.server;

import dev.modelcontract.enforcement.ContractModel;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The one model of a single-model server, as the routes that name a model find it ({@link ServedModels}): its name is
 * the image's (MODEL_CONTRACT_MODEL_NAME) or, where the image states none, its contract's default, known once the
 * model is loaded; any other name is not served.
 */
final class SingleModel implements ServedModels {

  private final InvocationsHandler invocations;
  private final Supplier<ContractModel> model;
  private final Optional<String> configuredName;
  private volatile Served served;

  /** The loaded model under its name, and its metadata answer. */
  private record Served(ContractModel model, String name, byte[] metadata, InvocationsHandler invocations)
      implements ServedModel {

    @Override
    public CompletableFuture<Responses.Response> serve(FullHttpRequest request, String path, boolean openInference) {
      return openInference ? invocations.serveOpenInference(request, path) : invocations.serve(request, path);
    }
  }

  /**
   * @param model the model once loaded; null until then
   * @param configuredName the model's name where the image states one
   */
  SingleModel(InvocationsHandler invocations, Supplier<ContractModel> model, Optional<String> configuredName) {
    this.invocations = invocations;
    this.model = model;
    this.configuredName = configuredName;
  }

  /** The served model where the name is its; 404 for another name, 503 while the model loads. */
  @Override
  public ServedModel serving(String requested) throws RequestRefused {
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
    Served current = served;
    if (current == null || current.model() != loaded) {
      current = new Served(loaded, name, OpenInferenceMetadata.bytes(OpenInferenceMetadata.model(loaded.contract(),
          name)), invocations);
      served = current;
    }
    return current;
  }
}
