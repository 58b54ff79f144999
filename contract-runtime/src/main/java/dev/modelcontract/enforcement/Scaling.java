package dev.modelcontract.enforcement;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.JsonPointer;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.Normalization;
import dev.modelcontract.tensors.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract's normalization, in and out: each input scaled as training scaled it before the model sees it, each
 * output scaled back after. The one place that applies the contract's training statistics to values: once an
 * input is scaled, it is judged for skew where the contract turns the guard on ({@link SkewGuard}), and a request
 * a server admits is observed ({@link SkewWindow}).
 */
public final class Scaling {

  /** The span skew is observed over: its reading covers the last half of it and the current one. */
  public static final Duration SKEW_WINDOW = Duration.ofSeconds(60);

  private final List<InputSpec> inputs;
  private final boolean batched;
  /** Per input, in contract order; null where an input is not normalized. */
  private final FeatureScaler[] inputScalers;
  /** Per input; null where an input is not normalized, or (guards) where the contract does not refuse skew. */
  private final SkewWindow[] windows;
  private final SkewGuard[] guards;
  private final Map<String, FeatureScaler> outputScalers = new HashMap<>();

  public Scaling(ModelContract contract) {
    this.inputs = contract.inputs();
    this.batched = contract.batch().isPresent();
    this.inputScalers = new FeatureScaler[inputs.size()];
    this.windows = new SkewWindow[inputs.size()];
    this.guards = new SkewGuard[inputs.size()];
    for (int i = 0; i < inputs.size(); i++) {
      InputSpec input = inputs.get(i);
      inputScalers[i] = input.normalize().map(FeatureScaler::new).orElse(null);
      if (input.normalize().isPresent() && input.skew().isPresent()) {
        TrainingStatistics training = new TrainingStatistics(input);
        windows[i] = input.skew().get().observe()
            ? new SkewWindow(training, input.skew().get().warn(), SKEW_WINDOW.toNanos(), System::nanoTime) : null;
        guards[i] = input.skew().get().refuse() ? new SkewGuard(training, input.skew().get()) : null;
      }
    }
    contract.outputs().forEach(output -> output.denormalize()
        .ifPresent(normalization -> outputScalers.put(output.name(), new FeatureScaler(normalization))));
  }

  /**
   * Normalizes a bound request's inputs in place; then, every input normalized, judges each for skew, so that a
   * value's own problem (an overflow) is named before the request's statistics are. The guard reads the normalized
   * values, in which a value's distance from training is one multiply-add away.
   *
   * @throws ContractViolation when a finite value overflows once normalized, where the input allows no infinities
   * @throws SkewViolation when an input's values lie beyond the contract's skew limits, where it refuses skew
   */
  public void normalizeInputs(BoundRequest request) throws ContractViolation {
    List<Tensor> bound = request.inputs();
    for (int i = 0; i < inputScalers.length; i++) {
      if (inputScalers[i] == null) {
        continue;
      }
      Tensor tensor = bound.get(i);
      inputScalers[i].normalize(tensor);
      InputSpec spec = inputs.get(i);
      int overflow = spec.allowNonFinite() ? -1 : FeatureScaler.firstNonFinite(tensor);
      if (overflow >= 0) {
        // e.g. float32's largest value divided by a std below 1: finite in the request, infinite to the model
        long[] sent = request.unbatched() ? tensor.withoutFirstAxis().shape() : tensor.shape();
        String scaled = spec.normalize().orElseThrow() instanceof Normalization.Standardization
            ? "standardized ((x - mean) / std" : "scaled ((x - min) / (max - min)";
        throw ContractViolation.ofValue(spec.name(), "/" + JsonPointer.escape(spec.name())
            + Tensor.pointerOf(sent, overflow), "values that stay finite once " + scaled + ", as the contract says)",
            "a value that overflows float when " + scaled.substring(0, scaled.indexOf(' '))
                + spec.featureAt(tensor.shape(), overflow));
      }
    }
    for (int i = 0; i < guards.length; i++) {
      if (guards[i] != null) {
        Tensor tensor = bound.get(i);
        guards[i].check(tensor, batched ? tensor.shape()[0] : 1);
      }
    }
  }

  /**
   * Adds a request that was bound (and so judged and normalized) to the observed statistics: what a server does for
   * each request it admits, and nothing else does (golden replays, dry runs and warm-ups are not traffic).
   */
  public void observe(BoundRequest request) {
    List<Tensor> bound = request.inputs();
    for (int i = 0; i < windows.length; i++) {
      if (windows[i] != null) {
        windows[i].observe(bound.get(i));
      }
    }
  }

  /** Every observed feature of every input with training statistics, in contract order. */
  public List<FeatureSkew> skew() {
    List<FeatureSkew> skews = new ArrayList<>();
    for (SkewWindow window : windows) {
      if (window != null) {
        skews.addAll(window.snapshot());
      }
    }
    return skews;
  }

  /** An output as the caller reads it: scaled back where the contract denormalizes it, else the same tensor. */
  public Tensor denormalizeOutput(String name, Tensor tensor) {
    FeatureScaler scaler = outputScalers.get(name);
    return scaler == null ? tensor : scaler.denormalized(tensor);
  }
}
