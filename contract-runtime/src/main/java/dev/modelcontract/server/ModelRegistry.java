package dev.modelcontract.server;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models of a multi-model endpoint by name. A name is taken while its model loads or unloads, so that a second
 * load of it is refused, but only a model that has loaded and passed its checks is published: nothing is half
 * visible.
 */
final class ModelRegistry {

  /** A name's state: {@code model} is null while it loads or unloads. */
  private record Slot(LoadedModel model) {}

  private static final Slot IN_TRANSITION = new Slot(null);

  private final Map<String, Slot> slots = new ConcurrentHashMap<>();

  /** Takes a name for a load; false if it is taken (loaded, loading or unloading). */
  boolean claim(String name) {
    return slots.putIfAbsent(name, IN_TRANSITION) == null;
  }

  /** Publishes a claimed name's model, once loaded and checked. */
  void publish(LoadedModel model) {
    slots.put(model.name(), new Slot(model));
  }

  /** Frees a name whose load failed, or whose model has been unloaded. */
  void release(String name) {
    slots.remove(name);
  }

  /** The published model of that name; null while it loads or unloads, or if there is none. */
  LoadedModel ready(String name) {
    Slot slot = slots.get(name);
    return slot == null ? null : slot.model();
  }

  /** Takes a published model off for its unload (the name stays taken until {@link #release}); null if none. */
  LoadedModel withdraw(String name) {
    Slot slot = slots.get(name);
    if (slot == null || slot.model() == null || !slots.replace(name, slot, IN_TRANSITION)) {
      return null;
    }
    return slot.model();
  }

  /** The published models, by name. */
  List<LoadedModel> published() {
    return slots.values().stream().map(Slot::model).filter(model -> model != null)
        .sorted(Comparator.comparing(LoadedModel::name)).toList();
  }
}
