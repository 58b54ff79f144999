package dev.modelcontract.server;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models of a multi-model endpoint by name, and the one place their names are resolved for both route families
 * ({@link ServedModels}). A name is taken while its model loads or unloads, so that a second load of it is refused,
 * but only a model that has loaded and passed its checks is served: nothing is half visible.
 */
final class ModelRegistry implements ServedModels {

  /** Where a name's model stands, in SageMaker's multi-model server's words ({@code DescribeModelResponse}). */
  enum State { LOADING, READY, UNLOADING }

  /**
   * A taken name.
   *
   * @param url where its model is loaded from, as {@code POST /models} gave it
   * @param model the loaded model; null while it loads
   */
  record Entry(String name, State state, String url, LoadedModel model) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** Takes a name for a load from {@code url}; false if it is taken (loaded, loading or unloading). */
  boolean claim(String name, String url) {
    return entries.putIfAbsent(name, new Entry(name, State.LOADING, url, null)) == null;
  }

  /** Publishes a claimed name's model, once loaded and checked. */
  void publish(LoadedModel model) {
    entries.put(model.name(), new Entry(model.name(), State.READY, model.url(), model));
  }

  /** Frees a name whose load failed, or whose model has been unloaded. */
  void release(String name) {
    entries.remove(name);
  }

  /** The taken name's entry; null if the name is free. */
  Entry find(String name) {
    return entries.get(name);
  }

  @Override
  public ServedModel serving(String name) throws RequestRefused {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new RequestRefused(ProblemType.NOT_FOUND.problem("no model named " + name + " is loaded; load it with"
          + " POST " + ModelsHandler.MODELS, "model", name));
    }
    return switch (entry.state()) {
      case READY -> entry.model();
      case LOADING -> throw new RequestRefused(ProblemType.MODEL_LOADING.problem("the model " + name + " is still"
          + " loading and being checked; retry once its load is answered", "model", name));
      case UNLOADING -> throw LoadedModel.unloading(name);
    };
  }

  /** Takes a published model off for its unload (the name stays taken until {@link #release}); null if none. */
  LoadedModel withdraw(String name) {
    Entry entry = entries.get(name);
    if (entry == null || entry.state() != State.READY
        || !entries.replace(name, entry, new Entry(name, State.UNLOADING, entry.url(), entry.model()))) {
      return null;
    }
    return entry.model();
  }

  /** The published models, by name. */
  List<LoadedModel> published() {
    return entries.values().stream().filter(entry -> entry.state() == State.READY).map(Entry::model)
        .sorted(Comparator.comparing(LoadedModel::name)).toList();
  }
}
