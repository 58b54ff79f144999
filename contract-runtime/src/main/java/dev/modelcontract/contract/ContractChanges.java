package dev.modelcontract.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What changed between a released contract and the current one, as callers of the endpoint see it. A change is
 * breaking when a request the released contract accepted may now be refused, or an answer callers parse changes
 * its names, types, shapes or meaning: an input removed or renamed, a new required input, a dtype changed, a
 * dim bound narrowed, a value range narrowed, an output removed or reshaped, labels or softmax changed, and
 * normalization statistics changed without a new model version (the same version would then answer
 * differently). Additive changes (a new optional input, a new output, a bound widened) are listed and pass.
 * Statistics are compared as values: one number for every feature equals the list that repeats it.
 */
public final class ContractChanges {

  /**
   * One change, worded for a build log.
   *
   * @param breaking whether callers of the released contract may break
   * @param description what changed, naming the input or output
   */
  public record Change(boolean breaking, String description) {
    @Override
    public String toString() {
      return (breaking ? "BREAKING " : "additive ") + description;
    }
  }

  private final List<Change> changes = new ArrayList<>();

  private ContractChanges() {}

  /**
   * @param versionChanged whether the model's version changed since the released contract (normalization
   *     statistics may change with a new version only)
   */
  public static List<Change> between(ModelContract released, ModelContract current, boolean versionChanged) {
    ContractChanges found = new ContractChanges();
    found.batch(released, current);
    found.dims(released, current);
    found.inputs(released, current, versionChanged);
    found.outputs(released, current, versionChanged);
    return List.copyOf(found.changes);
  }

  private void breaking(String description) {
    changes.add(new Change(true, description));
  }

  private void additive(String description) {
    changes.add(new Change(false, description));
  }

  private void batch(ModelContract released, ModelContract current) {
    Optional<BatchSpec> before = released.batch();
    Optional<BatchSpec> now = current.batch();
    if (before.isPresent() && now.isEmpty()) {
      breaking("the batch axis '" + before.get().dim() + "' was removed: batched requests are refused");
    } else if (before.isEmpty() && now.isPresent()) {
      breaking("a batch axis '" + now.get().dim() + "' was added: every input and output gains an axis");
    } else if (before.isPresent()) {
      if (before.get().unbatchedRequests() && !now.get().unbatchedRequests()) {
        breaking("unbatched requests are no longer accepted (batch.unbatchedRequests: false)");
      } else if (!before.get().unbatchedRequests() && now.get().unbatchedRequests()) {
        additive("unbatched requests are accepted (batch.unbatchedRequests: true)");
      }
    }
  }

  private void dims(ModelContract released, ModelContract current) {
    for (DimSpec before : released.dims().values()) {
      DimSpec now = current.dim(before.name());
      if (now.min() > before.min() || now.max() < before.max()) {
        breaking("dim '" + before.name() + "' narrowed from " + before.describeBounds() + " to "
            + now.describeBounds());
      } else if (now.min() < before.min() || now.max() > before.max()) {
        additive("dim '" + before.name() + "' widened from " + before.describeBounds() + " to "
            + now.describeBounds());
      }
    }
  }

  private void inputs(ModelContract released, ModelContract current, boolean versionChanged) {
    for (InputSpec before : released.inputs()) {
      Optional<InputSpec> found = current.input(before.name());
      if (found.isEmpty()) {
        breaking("input '" + before.name() + "' was removed" + renamedTo(released.inputNames(),
            current.inputNames()) + ": callers send it");
        continue;
      }
      InputSpec now = found.get();
      String what = "input '" + before.name() + "'";
      if (before.dtype() != now.dtype()) {
        breaking(what + " dtype changed from " + before.dtype().contractName() + " to " + now.dtype().contractName());
      }
      shape(what, before.shape(), now.shape(), released, current);
      if (before.optional() && !now.optional()) {
        breaking(what + " became required (its default was removed)");
      } else if (!before.optional() && now.optional()) {
        additive(what + " became optional (default " + now.defaultValue().orElseThrow() + ")");
      }
      if (before.allowNonFinite() && !now.allowNonFinite()) {
        breaking(what + " no longer accepts NaN or infinities");
      } else if (!before.allowNonFinite() && now.allowNonFinite()) {
        additive(what + " accepts NaN and infinities");
      }
      range(what, before.range(), now.range());
      statistics(what + " normalize", before.normalize(), now.normalize(), versionChanged);
      features(what, before.features(), now.features());
      skew(what, before.skew(), now.skew());
    }
    for (InputSpec now : current.inputs()) {
      if (released.input(now.name()).isEmpty()) {
        if (now.optional()) {
          additive("input '" + now.name() + "' was added, optional (default " + now.defaultValue().orElseThrow()
              + ")");
        } else {
          breaking("input '" + now.name() + "' was added and is required: callers of the released contract do not"
              + " send it");
        }
      }
    }
  }

  /**
   * Features renamed or reordered mean callers' columns now stand for other features; naming them where none were
   * named, or no longer naming them, changes no request.
   */
  private void features(String what, List<String> before, List<String> now) {
    if (before.equals(now)) {
      return;
    }
    if (before.isEmpty() || now.isEmpty()) {
      additive(what + (before.isEmpty() ? " names its features " + now : " no longer names its features"));
    } else if (before.size() == now.size() && Set.copyOf(before).equals(Set.copyOf(now))) {
      breaking(what + " features reordered from " + before + " to " + now + ": callers send them in the old order");
    } else {
      breaking(what + " features changed from " + before + " to " + now + ": callers send the old features");
    }
  }

  /** A guard turned on, or a limit tightened, may refuse requests the released contract served. */
  private void skew(String what, Optional<SkewSpec> before, Optional<SkewSpec> now) {
    if (now.isEmpty() || before.equals(now)) {
      return;
    }
    SkewSpec released = before.orElse(SkewSpec.OBSERVED);
    SkewSpec current = now.get();
    if (current.refuse() && (!released.refuse() || current.limit() < released.limit()
        || current.odds() < released.odds())) {
      breaking(what + (released.refuse() ? " skew guard tightened (limit " + released.limit() + " → "
          + current.limit() + ", odds " + released.odds() + " → " + current.odds() + ")"
          : " skew guard turned on (skew.refuse: true)") + ": requests far from the training statistics that were"
          + " served are refused 422 input-skew");
    } else if (released.refuse() && !current.refuse()) {
      additive(what + " skew guard turned off: such requests are served, and observed on /metrics");
    } else if (released.observe() != current.observe()) {
      additive(what + (current.observe() ? " skew observed on /metrics" : " skew no longer observed on /metrics"));
    } else if (!released.equals(current)) {
      additive(what + " skew levels changed (limit " + released.limit() + " → " + current.limit() + ", odds "
          + released.odds() + " → " + current.odds() + ", warn " + released.warn() + " → " + current.warn() + ")");
    }
  }

  /** A range narrowed refuses values callers sent; widened or removed, it refuses fewer. */
  private void range(String what, Optional<ValueRange> before, Optional<ValueRange> now) {
    ValueRange was = before.orElse(new ValueRange(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
    ValueRange is = now.orElse(new ValueRange(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
    if (was.equals(is)) {
      return;
    }
    // not "changed from ... to ...": a range describes itself as "from 0 to 19"
    String change = what + " range was " + before.map(ValueRange::describe).orElse("unbounded") + " and is now "
        + now.map(ValueRange::describe).orElse("unbounded");
    if (is.min() > was.min() || is.max() < was.max()) {
      breaking(change + ": values callers sent are refused");
    } else {
      additive(change);
    }
  }

  private void outputs(ModelContract released, ModelContract current, boolean versionChanged) {
    for (OutputSpec before : released.outputs()) {
      Optional<OutputSpec> found = current.outputs().stream().filter(o -> o.name().equals(before.name())).findFirst();
      if (found.isEmpty()) {
        breaking("output '" + before.name() + "' was removed" + renamedTo(released.outputNames(),
            current.outputNames()) + ": callers read it");
        continue;
      }
      OutputSpec now = found.get();
      String what = "output '" + before.name() + "'";
      if (before.dtype() != now.dtype()) {
        breaking(what + " dtype changed from " + before.dtype().contractName() + " to " + now.dtype().contractName());
      }
      if (!before.shape().equals(now.shape())) {
        breaking(what + " shape changed from " + before.shape() + " to " + now.shape());
      }
      if (!before.labels().equals(now.labels())) {
        breaking(what + " labels changed from " + before.labels() + " to " + now.labels());
      }
      if (before.softmax() != now.softmax()) {
        breaking(what + (now.softmax() ? " is now answered as probabilities (softmax)" : " is no longer answered as"
            + " probabilities (softmax)"));
      }
      statistics(what + " denormalize", before.denormalize(), now.denormalize(), versionChanged);
    }
    for (OutputSpec now : current.outputs()) {
      if (released.outputs().stream().noneMatch(o -> o.name().equals(now.name()))) {
        additive("output '" + now.name() + "' was added");
      }
    }
  }

  private void shape(String what, TensorShape before, TensorShape now, ModelContract released,
      ModelContract current) {
    if (before.rank() != now.rank()) {
      breaking(what + " shape changed from " + before + " to " + now + " (rank "
          + before.rank() + " to " + now.rank() + ")");
      return;
    }
    for (int axis = 0; axis < before.rank(); axis++) {
      Dim was = before.dim(axis);
      Dim is = now.dim(axis);
      if (was.equals(is)) {
        continue;
      }
      long wasMin = was instanceof Dim.Fixed fixed ? fixed.size() : released.dim(((Dim.Named) was).name()).min();
      long wasMax = was instanceof Dim.Fixed fixed ? fixed.size() : released.dim(((Dim.Named) was).name()).max();
      long isMin = is instanceof Dim.Fixed fixed ? fixed.size() : current.dim(((Dim.Named) is).name()).min();
      long isMax = is instanceof Dim.Fixed fixed ? fixed.size() : current.dim(((Dim.Named) is).name()).max();
      String change = what + " axis " + axis + " changed from " + was.describe() + " to " + is.describe();
      if (isMin > wasMin || isMax < wasMax) {
        breaking(change + ": sizes the released contract accepted are refused");
      } else if (was instanceof Dim.Named && is instanceof Dim.Named) {
        additive(change);
      } else {
        additive(change + " (accepts every size it did)");
      }
    }
  }

  private void statistics(String what, Optional<Normalization> before, Optional<Normalization> now,
      boolean versionChanged) {
    if (Objects.equals(before, now)) {
      return;
    }
    String change = what + " changed from " + before.map(ContractChanges::describe).orElse("none") + " to "
        + now.map(ContractChanges::describe).orElse("none");
    if (versionChanged) {
      additive(change + " (with a new model version)");
    } else {
      breaking(change + " without a new model version: the same version would answer the same request"
          + " differently");
    }
  }

  private static String describe(Normalization normalization) {
    return normalization.describe();
  }

  /** ", renamed to 'x'?" when exactly one name appeared where one went. */
  private static String renamedTo(List<String> before, List<String> now) {
    List<String> gone = before.stream().filter(name -> !now.contains(name)).toList();
    List<String> added = now.stream().filter(name -> !before.contains(name)).toList();
    return gone.size() == 1 && added.size() == 1 ? " (renamed to '" + added.get(0) + "'?)" : "";
  }
}
