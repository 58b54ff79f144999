/**
 * The SageMaker protocol over HTTP (Netty): a pipeline of one handler per concern (read deadline, codec, guard,
 * aggregation, routing), the inference route (negotiation, content coding, the body-format registry
 * {@code BodyFormats}, admission, the inference queue, encoding), the refusal catalogue
 * {@link dev.modelcontract.server.ProblemType}, metrics, drain and the process entry point; a multi-model endpoint's
 * /models routes ({@code ModelsHandler}: a {@code ModelRegistry} of {@code LoadedModel}s, each loaded by the
 * {@code ModelLoader} the single-model start uses, within a {@code ModelBudget}); the one place a model name in a
 * path is resolved for both route families ({@code ServedModels}); and the OpenAPI document of either server
 * ({@link dev.modelcontract.server.OpenApiDocument}).
 *
 * <p>May import every other package of the runtime; none imports it.
 */
package dev.modelcontract.server;
