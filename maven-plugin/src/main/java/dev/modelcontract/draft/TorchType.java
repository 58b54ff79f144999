package dev.modelcontract.draft;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A type as TorchScript code spells it: {@code Tensor}, {@code Optional[Tensor]}, {@code Dict[str, Tensor]},
 * {@code Tuple[Tensor, Tensor]}, {@code int}, {@code List[Tensor]}, a class name.
 *
 * @param name the type's name, e.g. {@code Dict}
 * @param arguments its type arguments, in order; empty for a plain type
 */
public record TorchType(String name, List<TorchType> arguments) {

  public TorchType {
    arguments = List.copyOf(arguments);
  }

  /** Parses a type annotation of TorchScript code. */
  public static TorchType parse(String text) {
    String trimmed = text.strip();
    int open = trimmed.indexOf('[');
    if (open < 0 || !trimmed.endsWith("]")) {
      return new TorchType(trimmed, List.of());
    }
    List<TorchType> arguments = new ArrayList<>();
    for (String argument : TopLevel.split(trimmed.substring(open + 1, trimmed.length() - 1), ',')) {
      if (!argument.isBlank()) {
        arguments.add(parse(argument));
      }
    }
    return new TorchType(trimmed.substring(0, open).strip(), arguments);
  }

  public boolean isTensor() {
    return name.equals("Tensor") && arguments.isEmpty();
  }

  /** {@code Optional[Tensor]}: a tensor argument that may be None. */
  public boolean isOptionalTensor() {
    return name.equals("Optional") && arguments.size() == 1 && arguments.get(0).isTensor();
  }

  /** {@code Dict[str, Tensor]}. */
  public boolean isTensorDict() {
    return name.equals("Dict") && arguments.size() == 2 && arguments.get(0).name.equals("str")
        && arguments.get(1).isTensor();
  }

  /** {@code Tuple[Tensor, ...]} of tensors only. */
  public boolean isTensorTuple() {
    return name.equals("Tuple") && !arguments.isEmpty() && arguments.stream().allMatch(TorchType::isTensor);
  }

  @Override
  public String toString() {
    return arguments.isEmpty() ? name
        : arguments.stream().map(TorchType::toString).collect(Collectors.joining(", ", name + "[", "]"));
  }
}
