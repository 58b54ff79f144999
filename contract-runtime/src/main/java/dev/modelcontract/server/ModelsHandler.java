package dev.modelcontract.server;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractProblem;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.enforcement.FeatureSkew;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.validation.Check;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SageMaker's multi-model endpoint API (its "custom containers contract for multi-model endpoints"), served where the
 * container starts with {@code SAGEMAKER_MULTI_MODEL=true}: {@code POST /models} loads, {@code GET /models} lists,
 * {@code GET /models/NAME} describes, {@code DELETE /models/NAME} unloads, and {@code POST /models/NAME/invoke}
 * answers as {@code /invocations} does, through an {@link InvocationsHandler} of that model's own. Loads and unloads
 * run on a thread of their own, never on the event loop, so the other models keep answering meanwhile. Its
 * {@link ModelRegistry} also resolves the names of the Open Inference Protocol's {@code /v2/models/NAME} routes.
 */
final class ModelsHandler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelsHandler.class);

  static final String MODELS = "/models";
  static final String INVOKE = "/invoke";
  /** SageMaker's InvokeEndpoint TargetModel, passed on for logging; the model is the one the path names. */
  static final String TARGET_MODEL = "X-Amzn-SageMaker-Target-Model";
  /** Models per page of GET /models where the caller gives no {@code limit}, as SageMaker's multi-model server. */
  static final int DEFAULT_PAGE = 100;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonFactory GENERATOR = JsonFactory.builder().build();

  private final ServerConfig config;
  private final ModelBudget budget;
  private final DecodePool decoders;
  private final ServerMetrics metrics;
  private final ModelRegistry registry = new ModelRegistry();
  private final ExecutorService loaders = Executors.newCachedThreadPool(new DefaultThreadFactory("model-load", true));

  ModelsHandler(ServerConfig config, ModelBudget budget, DecodePool decoders, ServerMetrics metrics) {
    this.config = config;
    this.budget = budget;
    this.decoders = decoders;
    this.metrics = metrics;
  }

  /** The loaded models by name, for the routes of the Open Inference Protocol. */
  ServedModels models() {
    return registry;
  }

  /** Whether the path is one of this API's. */
  static boolean claims(String path) {
    return path.equals(MODELS) || path.startsWith(MODELS + "/");
  }

  CompletableFuture<Responses.Response> serve(FullHttpRequest request, String method, String path) {
    if (path.equals(MODELS)) {
      return switch (method) {
        case "GET", "HEAD" -> done(list(new QueryStringDecoder(request.uri())));
        case "POST" -> load(request);
        default -> done(Refusals.notAllowed(method, path, "GET, POST", "GET, HEAD, POST").response());
      };
    }
    String rest = path.substring(MODELS.length() + 1);
    boolean invoke = rest.endsWith(INVOKE) && rest.length() > INVOKE.length();
    String name = QueryStringDecoder.decodeComponent(invoke ? rest.substring(0, rest.length() - INVOKE.length())
        : rest);
    if (name.isEmpty() || name.contains("/")) {
      return done(Responses.problem(ProblemType.NOT_FOUND.problem(path + " is not served; a multi-model endpoint"
          + " answers /models, /models/NAME and /models/NAME/invoke")));
    }
    if (invoke) {
      return invoke(request, path, name);
    }
    return switch (method) {
      case "GET", "HEAD" -> done(describe(name));
      case "DELETE" -> unload(name);
      default -> done(Refusals.notAllowed(method, path, "GET, DELETE", "GET, HEAD, DELETE").response());
    };
  }

  /**
   * Every refusal to find the model is 404 here, a model loading or unloading too: SageMaker reads a 404 as "not
   * loaded" and loads the model before it retries.
   */
  private CompletableFuture<Responses.Response> invoke(FullHttpRequest request, String path, String name) {
    LOG.debug("invoke {} (target model {})", name, request.headers().get(TARGET_MODEL));
    try {
      return RequestRouter.withCustomAttributes(request.headers().get(Routes.CUSTOM_ATTRIBUTES),
          registry.serving(name).serve(request, path, false));
    } catch (RequestRefused e) {
      return done(notLoaded(name));
    }
  }

  private CompletableFuture<Responses.Response> load(FullHttpRequest request) {
    String name;
    String url;
    try {
      JsonNode body = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
      name = text(body, "model_name");
      url = text(body, "url");
    } catch (JacksonException e) {
      return done(malformed("the body is not JSON: " + e.getOriginalMessage()));
    }
    if (name == null || url == null || name.isBlank() || name.contains("/") || url.isBlank()) {
      return done(malformed("the body must be {\"model_name\": \"NAME\", \"url\": \"/opt/ml/models/NAME/model\"},"
          + " with a name without '/'"));
    }
    Path directory;
    try {
      directory = Path.of(url);
    } catch (InvalidPathException e) {
      return done(malformed("the url is not a path: " + e.getMessage()));
    }
    if (!registry.claim(name, url)) {
      return done(Responses.problem(ProblemType.MODEL_EXISTS.problem("the model " + name + " is already loaded (or"
          + " loading or unloading); unload it with DELETE /models/" + name + " first", "model", name)));
    }
    return CompletableFuture.supplyAsync(() -> loadClaimed(name, url, directory), loaders);
  }

  private Responses.Response loadClaimed(String name, String url, Path directory) {
    boolean published = false;
    long charge = 0;
    try {
      charge = ModelBudget.estimate(directory);
      if (!budget.charge(charge)) {
        long needed = charge;
        charge = 0;
        return Responses.problem(ProblemType.INSUFFICIENT_MEMORY.problem("loading " + name + " needs an estimated "
            + needed + " bytes; the models loaded take " + budget.charged() + " of the " + budget.capacity()
            + " bytes budgeted for models (MODEL_CONTRACT_MODELS_MEMORY_BYTES); unload one and retry", "model",
            name));
      }
      ContractModel loaded = ModelLoader.load(directory, directory.resolve(GoldenCase.FOLDER),
          config.goldenTolerance(), "the url must name the folder SageMaker extracted the model.tar.gz into: the"
          + " build writes model-contract.yaml, the TorchScript file and golden/ at its top");
      InferenceQueue queue = new InferenceQueue(loaded, config.workers(), config.batching(),
          SageMakerServer.QUEUE_CAPACITY, metrics);
      InvocationsHandler invocations = new InvocationsHandler(() -> loaded, () -> queue, config.maxRequestBytes(),
          config.batchTransform().multiRecord(), decoders, Optional.of(name));
      registry.publish(new LoadedModel(name, url, loaded, queue, invocations, charge, metrics));
      published = true;
      LOG.info("model {} loaded from {} ({} bytes charged; {} of {} budgeted bytes in use)", name, url, charge,
          budget.charged(), budget.capacity());
      return json(200, generator -> generator.writeStringProperty("status", "model " + name + " loaded"));
    } catch (ContractException e) {
      ContractProblem first = e.problems().isEmpty() ? null : e.problems().get(0);
      return notLoadable(name, e.file(), first == null ? e.file() : first.location(), e.problems().stream()
          .map(ContractProblem::toString).collect(Collectors.joining("; ")));
    } catch (GoldenPairsDiffer e) {
      Path golden = directory.resolve(GoldenCase.FOLDER);
      String pairs = e.failures().stream().map(Check::name).collect(Collectors.joining(", "));
      return notLoadable(name, golden.toString(), golden + " (" + pairs + ")", "its golden pairs differ on this"
          + " host's CPU: " + e.failures().stream().map(failure -> failure.name() + ": " + failure.detail())
          .collect(Collectors.joining("; ")));
    } catch (IOException e) {
      return notLoadable(name, directory.toString(), String.valueOf(e.getMessage()), "cannot read it: " + e);
    } finally {
      if (!published) {
        budget.credit(charge);
        registry.release(name);
      }
    }
  }

  private CompletableFuture<Responses.Response> unload(String name) {
    LoadedModel model = registry.withdraw(name);
    if (model == null) {
      return done(notLoaded(name));
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        model.close(config.drainTimeout());
      } finally {
        budget.credit(model.charge());
        metrics.unloaded(name);
        registry.release(name);
      }
      LOG.info("model {} unloaded", name);
      return json(200, generator -> generator.writeStringProperty("status", "model " + name + " unloaded"));
    }, loaders);
  }

  /** The model of that name in SageMaker's multi-model server's shape, while it loads and unloads too. */
  private Responses.Response describe(String name) {
    ModelRegistry.Entry entry = registry.find(name);
    return entry == null ? notLoaded(name) : json(200, generator -> ModelDescription.write(generator, entry, config));
  }

  /** One page of the loaded models by name; {@code nextPageToken} (the last name, encoded) where more follow. */
  private Responses.Response list(QueryStringDecoder query) {
    String token = first(query, "next_page_token");
    String limitText = first(query, "limit");
    int limit;
    String after;
    try {
      limit = limitText == null ? DEFAULT_PAGE : Integer.parseInt(limitText);
      after = token == null ? "" : new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return malformed("next_page_token must be one a previous page gave, and limit a number: " + e.getMessage());
    }
    if (limit < 1) {
      return malformed("limit must be 1 or more, not " + limit);
    }
    List<LoadedModel> rest = registry.published().stream().filter(model -> model.name().compareTo(after) > 0)
        .toList();
    List<LoadedModel> page = rest.subList(0, Math.min(limit, rest.size()));
    return json(200, generator -> {
      generator.writeArrayPropertyStart("models");
      for (LoadedModel model : page) {
        generator.writeStartObject();
        generator.writeStringProperty("modelName", model.name());
        generator.writeStringProperty("modelUrl", model.url());
        generator.writeEndObject();
      }
      generator.writeEndArray();
      if (rest.size() > page.size()) {
        generator.writeStringProperty("nextPageToken", Base64.getUrlEncoder().withoutPadding().encodeToString(
            page.get(page.size() - 1).name().getBytes(StandardCharsets.UTF_8)));
      }
    });
  }

  /** Requests waiting for the inference threads of every loaded model. */
  int depth() {
    return registry.published().stream().mapToInt(LoadedModel::depth).sum();
  }
  /** Each published model's observed skew, by name. */
  Map<String, List<FeatureSkew>> skew() {
    Map<String, List<FeatureSkew>> skews = new LinkedHashMap<>();
    registry.published().forEach(model -> skews.put(model.name(), model.skew()));
    return skews;
  }


  /** Unloads every model, as the server stops. */
  @Override
  public void close() {
    loaders.shutdownNow();
    for (LoadedModel model : registry.published()) {
      if (registry.withdraw(model.name()) != null) {
        model.close(java.time.Duration.ZERO);
      }
    }
  }

  private static String first(QueryStringDecoder query, String parameter) {
    List<String> values = query.parameters().get(parameter);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body == null ? null : body.get(field);
    return value == null || !value.isString() ? null : value.asString();
  }

  private static Responses.Response notLoaded(String name) {
    return Responses.problem(ProblemType.NOT_FOUND.problem("no model named " + name + " is loaded; load it with POST"
        + " " + MODELS, "model", name));
  }

  private static Responses.Response notLoadable(String name, String file, String location, String detail) {
    LOG.warn("model {} refused: {}", name, detail);
    return Responses.problem(ProblemType.MODEL_NOT_LOADABLE.problem("the model " + name + " cannot be served: "
        + detail, "model", name, "file", file, "location", location));
  }

  private static Responses.Response malformed(String detail) {
    return Responses.problem(ProblemType.MALFORMED_BODY.problem(detail));
  }

  private static Responses.Response json(int status, Consumer<JsonGenerator> members) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator generator = GENERATOR.createGenerator(ObjectWriteContext.empty(), out)) {
      generator.writeStartObject();
      members.accept(generator);
      generator.writeEndObject();
    }
    return new Responses.Response(status, MediaTypes.JSON, out.toByteArray());
  }

  private static CompletableFuture<Responses.Response> done(Responses.Response response) {
    return CompletableFuture.completedFuture(response);
  }
}
