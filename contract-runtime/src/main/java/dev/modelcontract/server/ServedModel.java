package dev.modelcontract.server;

import io.netty.handler.codec.http.FullHttpRequest;
import java.util.concurrent.CompletableFuture;

/**
 * A model ready to serve, as a route that names it finds it ({@link ServedModels}): a multi-model endpoint's
 * {@link LoadedModel}, or the one model of a single-model server.
 */
interface ServedModel {

  /** The name its routes know it by. */
  String name();

  /** Its Open Inference Protocol metadata ({@code GET /v2/models/NAME}), made once from its contract. */
  byte[] metadata();

  /**
   * Serves an inference request through the model's own {@link InvocationsHandler}, as {@code /invocations} serves it.
   *
   * @param openInference whether the body must be in the Open Inference Protocol's form ({@code POST
   *     /v2/models/NAME/infer}); else it may be in any format the contract takes
   * @throws RequestRefused where the model began to unload since it was found (model-loading, 503)
   */
  CompletableFuture<Responses.Response> serve(FullHttpRequest request, String path, boolean openInference)
      throws RequestRefused;
}
