package dev.modelcontract.contract;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model contract: everything the serving side must know about a TorchScript model's inputs and outputs.
 *
 * <p>Immutable and free of HTTP, Maven, DJL and Docker types; built once by {@link ContractReader}.
 *
 * @param version the contract language version
 * @param model the model file
 * @param dims the named dynamic dims, in declaration order
 * @param batch the batch axis, when the model is batched
 * @param inputs the named inputs, in declaration order
 * @param forward how the inputs reach the model's {@code forward} and how its result is read
 * @param outputs the named outputs, in declaration order
 * @param source where each field was written, for messages
 */
public record ModelContract(
    int version,
    ModelSpec model,
    Map<String, DimSpec> dims,
    Optional<BatchSpec> batch,
    List<InputSpec> inputs,
    ForwardSpec forward,
    List<OutputSpec> outputs,
    SourceMap source) {

  public ModelContract {
    dims = Map.copyOf(dims);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  public Optional<InputSpec> input(String name) {
    for (InputSpec input : inputs) { // on every request: a loop, not a stream
      if (input.name().equals(name)) {
        return Optional.of(input);
      }
    }
    return Optional.empty();
  }

  public List<String> inputNames() {
    return inputs.stream().map(InputSpec::name).toList();
  }

  public List<String> outputNames() {
    return outputs.stream().map(OutputSpec::name).toList();
  }

  /**
   * The model's name where the image states none: its file's name without the extension ({@code lstm} for
   * {@code lstm.pt}), as Open Inference Protocol answers give it.
   */
  public String defaultName() {
    String file = model.file().substring(model.file().lastIndexOf('/') + 1);
    return file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
  }

  /** The declared bounds of a named dim; undeclared names are unbounded. */
  public DimSpec dim(String name) {
    DimSpec declared = dims.get(name);
    return declared != null ? declared : DimSpec.unbounded(name);
  }

  /** Where the field at this JSON Pointer was written, e.g. {@code model-contract.yaml:14:12}. */
  public String locate(String pointer) {
    return source.describe(pointer);
  }
}
