package dev.modelcontract.enforcement;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.JsonPointer;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.Normalization;
import dev.modelcontract.tensors.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract's normalization, in and out: each input scaled as training scaled it before the model sees it, each
 * output scaled back after. The one place that applies the contract's training statistics to values.
 */
public final class Scaling {

  private final List<InputSpec> inputs;
  /** Per input, in contract order; null where an input is not normalized. */
  private final FeatureScaler[] inputScalers;
  private final Map<String, FeatureScaler> outputScalers = new HashMap<>();

  public Scaling(ModelContract contract) {
    this.inputs = contract.inputs();
    this.inputScalers = new FeatureScaler[inputs.size()];
    for (int i = 0; i < inputs.size(); i++) {
      inputScalers[i] = inputs.get(i).normalize().map(FeatureScaler::new).orElse(null);
    }
    contract.outputs().forEach(output -> output.denormalize()
        .ifPresent(normalization -> outputScalers.put(output.name(), new FeatureScaler(normalization))));
  }

  /**
   * Normalizes a bound request's inputs in place.
   *
   * @throws ContractViolation when a finite value overflows once normalized, where the input allows no infinities
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
            "a value that overflows float when " + scaled.substring(0, scaled.indexOf(' ')));
      }
    }
  }

  /** An output as the caller reads it: scaled back where the contract denormalizes it, else the same tensor. */
  public Tensor denormalizeOutput(String name, Tensor tensor) {
    FeatureScaler scaler = outputScalers.get(name);
    return scaler == null ? tensor : scaler.denormalized(tensor);
  }
}
