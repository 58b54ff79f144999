package dev.modelcontract.contract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The rules of a contract that its JSON Schema cannot state: names that must resolve, sizes that must agree. */
final class ContractChecks {

  private final ModelContract contract;
  private final List<ContractProblem> problems = new ArrayList<>();

  private ContractChecks(ModelContract contract) {
    this.contract = contract;
  }

  static List<ContractProblem> check(ModelContract contract) {
    ContractChecks checks = new ContractChecks(contract);
    checks.checkDims();
    checks.checkBatch();
    checks.checkInputs();
    checks.checkForward();
    checks.checkOutputs();
    return List.copyOf(checks.problems);
  }

  private void checkDims() {
    contract.dims().values().forEach(dim -> {
      if (dim.min() > dim.max()) {
        problem("/dims/" + dim.name(), "dim '" + dim.name() + "' has min " + dim.min() + " above max " + dim.max(),
            "swap or correct the bounds");
      }
    });
  }

  private void checkBatch() {
    contract.batch().ifPresent(batch -> {
      if (!contract.dims().containsKey(batch.dim())) {
        problem("/batch/dim", "the batch dim '" + batch.dim() + "' is not declared under dims",
            "declare it, e.g. dims: {" + batch.dim() + ": {max: 64}}");
      }
    });
  }

  private void checkInputs() {
    Set<String> names = new HashSet<>();
    for (InputSpec input : contract.inputs()) {
      if (!names.add(input.name())) {
        problem(input.pointer() + "/name", "the input name '" + input.name() + "' is used twice",
            "give each input its own name");
      }
      checkShape(input.shape(), input.pointer() + "/shape", "input '" + input.name() + "'");
      input.normalize().ifPresent(stats -> checkStats(stats, input.shape(), input.pointer() + "/normalize",
          "input '" + input.name() + "'"));
    }
  }

  private void checkOutputs() {
    Set<String> names = new HashSet<>();
    Map<Integer, String> indexes = new HashMap<>();
    for (OutputSpec output : contract.outputs()) {
      if (!names.add(output.name())) {
        problem(output.pointer() + "/name", "the output name '" + output.name() + "' is used twice",
            "give each output its own name");
      }
      String other = indexes.putIfAbsent(output.index(), output.name());
      if (other != null) {
        problem(output.pointer() + "/index", "outputs '" + other + "' and '" + output.name()
            + "' both read tuple position " + output.index(), "give each output its own index");
      }
      checkShape(output.shape(), output.pointer() + "/shape", "output '" + output.name() + "'");
      output.denormalize().ifPresent(stats -> checkStats(stats, output.shape(),
          output.pointer() + "/denormalize", "output '" + output.name() + "'"));
    }
  }

  private void checkShape(TensorShape shape, String pointer, String what) {
    for (int axis = 0; axis < shape.rank(); axis++) {
      if (shape.dim(axis) instanceof Dim.Named named && !contract.dims().containsKey(named.name())) {
        problem(pointer + "/" + axis, what + " uses the dim '" + named.name() + "', which is not declared under dims",
            "declare it (dims: {" + named.name() + ": {}}) or correct its spelling");
      }
    }
    contract.batch().ifPresent(batch -> {
      if (!(shape.dim(0) instanceof Dim.Named first && first.name().equals(batch.dim()))) {
        problem(pointer + "/0", what + " starts with " + shape.dim(0).describe() + ", but the batch dim is '"
            + batch.dim() + "'", "make '" + batch.dim() + "' its first axis");
      }
      for (int axis = 1; axis < shape.rank(); axis++) {
        if (shape.dim(axis) instanceof Dim.Named named && named.name().equals(batch.dim())) {
          problem(pointer + "/" + axis, what + " uses the batch dim '" + batch.dim() + "' on axis " + axis,
              "use it on the first axis only");
        }
      }
      if (shape.rank() < 2 && batch.unbatchedRequests()) {
        problem(pointer, what + " has only the batch axis, so an unbatched request would be a scalar",
            "set batch.unbatchedRequests to false or add a feature axis");
      }
    });
  }

  private void checkStats(Standardization stats, TensorShape shape, String pointer, String what) {
    if (stats.mean().size() != stats.std().size()) {
      problem(pointer + "/std", what + " has " + stats.mean().size() + " means but " + stats.std().size()
          + " standard deviations", "give one mean and one std per feature");
    }
    if (!(shape.last() instanceof Dim.Fixed features)) {
      problem(pointer, what + " is normalized per feature on its last axis, but that axis is the dynamic dim '"
          + shape.last().describe() + "'", "give the last axis a fixed size, the number of features");
      return;
    }
    if (stats.mean().size() != features.size()) {
      problem(pointer + "/mean", what + " has " + features.size() + " features on its last axis but "
          + stats.mean().size() + " means", "give exactly " + features.size() + " means");
    }
    if (stats.std().size() != features.size() && stats.std().size() == stats.mean().size()) {
      problem(pointer + "/std", what + " has " + features.size() + " features on its last axis but "
          + stats.std().size() + " standard deviations", "give exactly " + features.size() + " values");
    }
  }

  private void checkForward() {
    Map<String, String> used = new HashMap<>();
    List<ForwardArgument> arguments = contract.forward().arguments();
    for (int a = 0; a < arguments.size(); a++) {
      String pointer = "/forward/arguments/" + a;
      if (arguments.get(a) instanceof ForwardArgument.Concat concat) {
        checkConcat(concat, pointer + "/concat", used);
      }
    }
    for (InputSpec input : contract.inputs()) {
      if (!used.containsKey(input.name())) {
        problem("/forward/arguments", "the input '" + input.name() + "' is not passed to forward",
            "add it to an argument, or remove the input");
      }
    }
  }

  private void checkConcat(ForwardArgument.Concat concat, String pointer, Map<String, String> used) {
    Optional<InputSpec> first = Optional.empty();
    for (int i = 0; i < concat.inputs().size(); i++) {
      String name = concat.inputs().get(i);
      String at = pointer + "/" + i;
      Optional<InputSpec> input = contract.input(name);
      if (input.isEmpty()) {
        problem(at, "forward names the input '" + name + "', which is not declared under inputs",
            "declare it or use one of " + contract.inputNames());
        continue;
      }
      if (used.putIfAbsent(name, at) != null) {
        problem(at, "the input '" + name + "' is passed to forward twice", "pass each input once");
      }
      if (!(input.get().shape().last() instanceof Dim.Fixed)) {
        problem(at, "the input '" + name + "' is concatenated on its last axis, which is the dynamic dim '"
            + input.get().shape().last().describe() + "'", "give that axis a fixed size");
      }
      if (first.isEmpty()) {
        first = input;
      } else if (!leadingAxesAgree(first.get().shape(), input.get().shape())) {
        problem(at, "the input '" + name + "' has shape " + input.get().shape() + " and cannot be concatenated"
            + " on the last axis with '" + first.get().name() + "' of shape " + first.get().shape(),
            "make every axis but the last the same in both");
      }
    }
  }

  private static boolean leadingAxesAgree(TensorShape a, TensorShape b) {
    return a.rank() == b.rank() && a.dims().subList(0, a.rank() - 1).equals(b.dims().subList(0, b.rank() - 1));
  }

  private void problem(String pointer, String message, String suggestion) {
    problems.add(new ContractProblem(contract.locate(pointer), pointer, message, suggestion));
  }
}
