package dev.modelcontract.testkit;

import dev.modelcontract.server.ModelBudget;
import dev.modelcontract.server.ProblemType;
import dev.modelcontract.validation.Check;
import dev.modelcontract.validation.SampleRequests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What a SageMaker multi-model endpoint must do with the models it is given, checked through its /models API on any
 * endpoint (a multi-model image, a server in process, a host behind a proxy): each model loads (200, the time taken
 * reported) and a second load of its name is refused 409; GET /models/NAME describes it; its whole
 * {@link ConformanceSuite} passes through its invoke route (its skew cases reading /metrics under the model's name);
 * GET /models lists every model loaded; once unloaded a model is 404 on invoke and describe, and once loaded again it
 * answers its golden pairs as before. Given the endpoint's memory budget ({@link #withBudget}), it also checks that a
 * second copy of the first model is refused 507 and loads once the first is unloaded. Every model is unloaded at the
 * end.
 *
 * <p>Each result is a {@link Check} named after its model, so a {@link VerificationReport} renders it as it renders
 * a single-model image's. A model that fails to load is reported once, and its other checks are not run.
 */
public final class MultiModelSuite {

  /**
   * A model to load.
   *
   * @param name its name on the endpoint ({@code model_name}; SageMaker's TargetModel)
   * @param url its model directory as the server sees it (SageMaker's {@code /opt/ml/models/NAME/model})
   * @param suite the suite of its contract, with its golden pairs
   */
  public record Model(String name, String url, ConformanceSuite suite) {}

  /** Models per page of GET /models where the suite follows {@code nextPageToken}. */
  private static final int PAGE = 100;

  private final List<Model> models;
  private final OptionalLong budget;

  private MultiModelSuite(List<Model> models, OptionalLong budget) {
    this.models = List.copyOf(models);
    this.budget = budget;
  }

  /**
   * The suite of these models, loaded in this order.
   *
   * @throws IllegalArgumentException when there are none, or two share a name
   */
  public static MultiModelSuite of(List<Model> models) {
    Set<String> names = new HashSet<>();
    for (Model model : models) {
      if (!names.add(model.name())) {
        throw new IllegalArgumentException("two models are named '" + model.name() + "': load the same directory"
            + " under another name instead");
      }
    }
    if (models.isEmpty()) {
      throw new IllegalArgumentException("a multi-model suite needs at least one model");
    }
    return new MultiModelSuite(models, OptionalLong.empty());
  }

  /**
   * The same suite on an endpoint started with this budget for its models ({@code
   * MODEL_CONTRACT_MODELS_MEMORY_BYTES}), one that holds the suite's models once each and nothing more
   * ({@link #budgetFor}): it then also checks the 507 of a second copy of the first model.
   */
  public MultiModelSuite withBudget(long bytes) {
    return new MultiModelSuite(models, OptionalLong.of(bytes));
  }

  /**
   * The budget that holds these model directories once each and nothing more, by the runtime's own estimate of what
   * each model costs ({@link ModelBudget#estimate}).
   *
   * @throws IOException when a directory cannot be listed
   */
  public static long budgetFor(List<Path> modelDirectories) throws IOException {
    long bytes = 0;
    for (Path directory : modelDirectories) {
      bytes += ModelBudget.estimate(directory);
    }
    return bytes;
  }

  public List<Model> models() {
    return models;
  }

  /** The endpoint's budget for its models, where the suite checks its 507. */
  public OptionalLong budget() {
    return budget;
  }

  /** Runs every check against an endpoint that has none of the suite's names loaded, in order. */
  public List<Check> run(MultiModelClient client) {
    List<Check> checks = new ArrayList<>();
    Set<String> loaded = new LinkedHashSet<>();
    List<Model> serving = new ArrayList<>();
    for (Model model : models) {
      String name = model.name();
      Check load = load(client, name + ": loads (POST /models)", name, model.url());
      checks.add(load);
      if (load.passed()) {
        loaded.add(name);
        serving.add(model);
        String again = name + ": a second load of its name is refused 409";
        checks.add(step(again, () -> expect(again, client.load(name, model.url()), ProblemType.MODEL_EXISTS)));
        String describes = name + ": GET /models/" + name + " describes it";
        checks.add(step(describes, () -> describes(describes, client, model)));
      }
    }
    for (Model model : serving) {
      ContractClient invoke = client.model(model.name(), model.suite().contract());
      model.suite().run(invoke).forEach(check -> checks.add(named(model.name() + ": ", check)));
    }
    String lists = "GET /models lists every model loaded";
    checks.add(step(lists, () -> lists(lists, client, serving)));
    for (Model model : serving) {
      checks.addAll(reload(client, model, loaded));
    }
    if (budget.isPresent() && !serving.isEmpty() && loaded.contains(serving.get(0).name())) {
      checks.addAll(secondCopy(client, serving.get(0), loaded));
    }
    for (String name : List.copyOf(loaded)) {
      String unloads = name + ": unloads at the end";
      checks.add(step(unloads, () -> expect(unloads, client.unload(name), 200)));
    }
    return checks;
  }

  /** Unloaded, a model is 404 on invoke and describe; loaded again, it answers its golden pairs as before. */
  private static List<Check> reload(MultiModelClient client, Model model, Set<String> loaded) {
    String name = model.name();
    List<Check> checks = new ArrayList<>();
    String unloads = name + ": unloads (DELETE /models/" + name + ")";
    Check unload = step(unloads, () -> expect(unloads, client.unload(name), 200));
    checks.add(unload);
    if (!unload.passed()) {
      return checks;
    }
    loaded.remove(name);
    ContractClient invoke = client.model(name, model.suite().contract());
    // a request the model would answer: only the unload can make it a 404
    byte[] request = RequestFormat.JSON.encode(SampleRequests.typical(model.suite().contract(), new Random(0)));
    String invoked = name + ": unloaded, POST /models/" + name + "/invoke is 404";
    checks.add(step(invoked, () -> expect(invoked, invoke.send(RequestFormat.JSON.mediaType(), null, request),
        ProblemType.NOT_FOUND)));
    String described = name + ": unloaded, GET /models/" + name + " is 404";
    checks.add(step(described, () -> expect(described, client.describe(name), ProblemType.NOT_FOUND)));
    Check again = load(client, name + ": loads again", name, model.url());
    checks.add(again);
    if (!again.passed()) {
      return checks;
    }
    loaded.add(name);
    List<ConformanceSuite.Case> replayed = model.suite().goldenPairs().isEmpty()
        ? model.suite().cases().stream().filter(suiteCase -> suiteCase.kind() == ConformanceSuite.Kind.VALID)
            .limit(1).toList()
        : model.suite().goldenPairs();
    replayed.forEach(suiteCase -> checks.add(named(name + ": after the reload, ", suiteCase.run(invoke))));
    return checks;
  }

  /**
   * With the budget full, a second copy of the first model (its directory under another name) is refused 507; once
   * the first is unloaded, the copy loads in the memory it freed.
   */
  private List<Check> secondCopy(MultiModelClient client, Model first, Set<String> loaded) {
    String copy = copyName(first.name());
    String refused = copy + ": a second copy of " + first.name() + " is refused 507 while the budget of "
        + budget.getAsLong() + " bytes holds every model once";
    Check refusal = step(refused, () -> {
      Answer answer = client.load(copy, first.url());
      if (answer.status() == 200) {
        loaded.add(copy);
      }
      return expect(refused, answer, ProblemType.INSUFFICIENT_MEMORY);
    });
    String loads = copy + ": loads once " + first.name() + " is unloaded";
    Check load = step(loads, () -> {
      Check unload = expect(loads, client.unload(first.name()), 200);
      if (!unload.passed()) {
        return Check.fail(loads, "unloading " + first.name() + " failed: " + unload.detail());
      }
      loaded.remove(first.name());
      return load(client, loads, copy, first.url());
    });
    if (load.passed()) {
      loaded.add(copy);
    }
    return List.of(refusal, load);
  }

  /** POST /models, timed: passed on 200. */
  private static Check load(MultiModelClient client, String checkName, String name, String url) {
    return step(checkName, () -> {
      long started = System.nanoTime();
      Answer answer = client.load(name, url);
      double seconds = (System.nanoTime() - started) / 1e9;
      return answer.status() == 200 ? Check.pass(checkName, String.format(Locale.ROOT, "200 after %.2f s", seconds))
          : expect(checkName, answer, 200);
    });
  }

  private static Check describes(String checkName, MultiModelClient client, Model model) {
    Answer answer = client.describe(model.name());
    if (answer.status() != 200) {
      return expect(checkName, answer, 200);
    }
    JsonNode described = answer.tree();
    boolean same = model.name().equals(described.path("modelName").asString(""))
        && model.url().equals(described.path("modelUrl").asString(""));
    return same ? Check.pass(checkName, "modelUrl " + model.url()) : Check.fail(checkName, "expected modelName '"
        + model.name() + "' and modelUrl '" + model.url() + "': " + answer.text());
  }

  /** Every page of GET /models, following {@code nextPageToken}: every loaded model there, with its url. */
  private static Check lists(String checkName, MultiModelClient client, List<Model> serving) {
    Set<String> listed = new LinkedHashSet<>();
    Set<String> tokens = new HashSet<>();
    String token = null;
    do {
      Answer page = token == null ? client.list() : client.list(PAGE, token);
      if (page.status() != 200) {
        return expect(checkName, page, 200);
      }
      JsonNode body = page.tree();
      body.path("models").forEach(model -> listed.add(model.path("modelName").asString("") + " at "
          + model.path("modelUrl").asString("")));
      token = body.path("nextPageToken").asString(null);
    } while (token != null && tokens.add(token));
    List<String> missing = serving.stream().map(model -> model.name() + " at " + model.url())
        .filter(entry -> !listed.contains(entry)).toList();
    return missing.isEmpty() ? Check.pass(checkName, String.join(", ", listed))
        : Check.fail(checkName, "missing " + String.join(", ", missing) + "; it lists " + listed);
  }

  /** A step of the suite: no answer, or one that is not JSON where JSON is read, fails it, never throws. */
  private static Check step(String name, Supplier<Check> run) {
    try {
      return run.get();
    } catch (UncheckedIOException e) {
      return Check.fail(name, "the request failed: " + e.getMessage());
    } catch (JacksonException e) {
      return Check.fail(name, "the answer is not JSON: " + e.getOriginalMessage());
    }
  }

  private static Check expect(String name, Answer answer, int status) {
    return answer.status() == status ? Check.pass(name, "")
        : Check.fail(name, "status " + answer.status() + ", expected " + status + ": " + answer.text());
  }

  /** A refusal: its status and a problem of its type; the problem's detail reported either way. */
  private static Check expect(String name, Answer answer, ProblemType problem) {
    if (answer.status() != problem.status()) {
      return expect(name, answer, problem.status());
    }
    if (!problem.slug().equals(answer.problemType())) {
      return Check.fail(name, "got a problem of type '" + answer.problemType() + "', expected '" + problem.slug()
          + "': " + answer.text());
    }
    return Check.pass(name, answer.problem().path("detail").asString(""));
  }

  /** The first name after {@code NAME-copy} that no model of the suite has. */
  private String copyName(String name) {
    Set<String> names = new HashSet<>();
    models.forEach(model -> names.add(model.name()));
    String copy = name + "-copy";
    while (names.contains(copy)) {
      copy += "-copy";
    }
    return copy;
  }

  private static Check named(String prefix, Check check) {
    return new Check(prefix + check.name(), check.passed(), check.detail());
  }
}
