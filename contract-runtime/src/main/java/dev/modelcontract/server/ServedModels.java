package dev.modelcontract.server;

/**
 * The one place a model name in a path is resolved to the model serving it, for every route that names one:
 * SageMaker's {@code /models/NAME} routes and the Open Inference Protocol's {@code /v2/models/NAME} routes. A
 * single-model server serves one fixed model ({@link SingleModel}); a multi-model endpoint, the models its
 * {@link ModelRegistry} holds.
 */
interface ServedModels {

  /**
   * The model of that name, ready to serve.
   *
   * @throws RequestRefused not-found (404, with a {@code model} member) where no model of that name is served;
   *     model-loading (503) where it is not ready: still loading, or unloading
   */
  ServedModel serving(String name) throws RequestRefused;
}
