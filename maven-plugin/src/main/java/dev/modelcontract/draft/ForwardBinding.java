package dev.modelcontract.draft;

import dev.modelcontract.draft.ForwardSignature.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * How forward's arguments become the contract's: a tensor argument is an input of its name; a
 * {@code Dict[str, Tensor]} argument is a {@code dict} of the inputs named by its keys (those of a sample request that
 * no tensor argument names); a trailing argument of another type with a default is left to its default; any other
 * argument is one a contract cannot pass.
 *
 * @param arguments forward's arguments the contract passes, in order
 * @param defaulted the trailing arguments left to their defaults
 */
public record ForwardBinding(List<Argument> arguments, List<Parameter> defaulted) {

  public ForwardBinding {
    arguments = List.copyOf(arguments);
    defaulted = List.copyOf(defaulted);
  }

  /** One argument of forward as the contract passes it. */
  public sealed interface Argument {
    Parameter parameter();
  }

  /** A {@code Tensor} (or {@code Optional[Tensor]}) argument: the input of the argument's name. */
  public record TensorInput(Parameter parameter) implements Argument {}

  /** A {@code Dict[str, Tensor]} argument: one input per key. */
  public record TensorDict(Parameter parameter, Drafted<List<String>> keys) implements Argument {}

  /** An argument of a type a contract cannot pass ({@code int}, {@code List[Tensor]}, ...). */
  public record Unpassable(Parameter parameter) implements Argument {}

  /**
   * Binds forward's arguments.
   *
   * @param sampleNames the names of a sample request's arrays; empty without one
   */
  public static ForwardBinding of(ForwardSignature signature, List<String> sampleNames) {
    List<Parameter> parameters = signature.parameters();
    int passed = parameters.size();
    while (passed > 0 && !isTensorLike(parameters.get(passed - 1).type())
        && parameters.get(passed - 1).defaultValue().isPresent()) {
      passed--;
    }
    List<String> tensorNames = parameters.stream().filter(parameter -> isTensorLike(parameter.type()))
        .filter(parameter -> !parameter.type().isTensorDict()).map(Parameter::name).toList();
    long dicts = parameters.stream().filter(parameter -> parameter.type().isTensorDict()).count();
    List<String> leftovers = sampleNames.stream().filter(name -> !tensorNames.contains(name)).toList();
    List<Argument> arguments = new ArrayList<>();
    for (Parameter parameter : parameters.subList(0, passed)) {
      TorchType type = parameter.type();
      if (type.isTensorDict()) {
        arguments.add(new TensorDict(parameter, dicts == 1 && !leftovers.isEmpty() ? Drafted.learned(leftovers)
            : Drafted.todo("list the inputs forward's argument '" + parameter.name() + ": " + type + "' takes,"
                + " one per key (a sample request with one array per key lets init learn them)")));
      } else if (isTensorLike(type)) {
        arguments.add(new TensorInput(parameter));
      } else {
        arguments.add(new Unpassable(parameter));
      }
    }
    return new ForwardBinding(arguments, parameters.subList(passed, parameters.size()));
  }

  private static boolean isTensorLike(TorchType type) {
    return type.isTensor() || type.isOptionalTensor() || type.isTensorDict();
  }
}
