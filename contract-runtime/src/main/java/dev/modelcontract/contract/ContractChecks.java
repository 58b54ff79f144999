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
    Set<String> requiredDims = new HashSet<>();
    for (InputSpec input : contract.inputs()) {
      if (!input.optional()) {
        input.shape().dims().forEach(dim -> {
          if (dim instanceof Dim.Named named) {
            requiredDims.add(named.name());
          }
        });
      }
    }
    for (InputSpec input : contract.inputs()) {
      String what = "input '" + input.name() + "'";
      if (!names.add(input.name())) {
        problem(input.pointer() + "/name", "the input name '" + input.name() + "' is used twice",
            "give each input its own name");
      }
      checkShape(input.shape(), input.pointer() + "/shape", what);
      checkEngineSupports(input.dtype(), input.pointer(), what);
      input.normalize().ifPresent(normalization ->
          checkNormalization(normalization, input.dtype(), input.shape(), input.pointer() + "/normalize", what));
      input.range().ifPresent(range -> checkRange(range, input.dtype(), input.pointer() + "/range", what));
      checkFeatures(input, what);
      if (input.allowNonFinite() && !input.dtype().isFloat()) {
        problem(input.pointer() + "/allowNonFinite", what + " is " + input.dtype()
            + ", which has no NaN or Infinity", "remove allowNonFinite or use a float dtype");
      }
      if (input.optional()) {
        for (Dim dim : input.shape().dims()) {
          if (dim instanceof Dim.Named named && !requiredDims.contains(named.name())) {
            problem(input.pointer() + "/default", what + " is optional, but its dim '" + named.name()
                + "' appears in no required input, so an omitted value's size is unknown",
                "give that axis a fixed size or make an input that has it required");
          }
        }
      }
    }
  }

  /** Named features name the last axis, one name per position; the skew guard needs training statistics. */
  private void checkFeatures(InputSpec input, String what) {
    if (!input.features().isEmpty()) {
      Dim last = input.shape().last();
      if (!(last instanceof Dim.Fixed fixed)) {
        problem(input.pointer() + "/features", what + " names the features of its last axis, which is the dynamic dim '"
            + last.describe() + "'", "give that axis a fixed size, the number of features");
      } else if (fixed.size() != input.features().size()) {
        problem(input.pointer() + "/features", what + " has " + fixed.size() + " values on its last axis but "
            + input.features().size() + " feature names", "name exactly " + fixed.size() + " features, in order");
      }
      input.normalize().ifPresent(normalization -> {
        if (normalization.resolvedAxis(input.shape().rank()) != input.shape().rank() - 1) {
          problem(input.pointer() + "/features", what + " names the features of its last axis, but its normalize"
              + " statistics run along axis " + normalization.axis(), "normalize along the last axis (axis: -1),"
              + " or remove features");
        }
      });
    }
    if (input.skew().isPresent() && input.normalize().isEmpty()) {
      problem(input.pointer() + "/skew", what + " has a skew block but no training statistics to measure skew"
          + " against", "add normalize (mean and std, or min and max, as training computed them), or remove skew");
    }
  }

  private void checkOutputs() {
    Set<String> names = new HashSet<>();
    ForwardSpec.Returns returns = contract.forward().returns();
    for (OutputSpec output : contract.outputs()) {
      String what = "output '" + output.name() + "'";
      if (!names.add(output.name())) {
        problem(output.pointer() + "/name", "the output name '" + output.name() + "' is used twice",
            "give each output its own name");
      }
      if (returns == ForwardSpec.Returns.TUPLE && output.index().isEmpty()) {
        problem(output.pointer(), what + " has no index, but forward returns a tuple",
            "add index: the output's position in the tuple");
      }
      if (returns != ForwardSpec.Returns.TUPLE && output.index().isPresent()) {
        problem(output.pointer() + "/index", what + " has an index, but forward returns a " + returns,
            returns == ForwardSpec.Returns.DICT ? "name its key instead" : "remove it");
      }
      if (returns != ForwardSpec.Returns.DICT && output.key().isPresent()) {
        problem(output.pointer() + "/key", what + " has a key, but forward returns a " + returns,
            returns == ForwardSpec.Returns.TUPLE ? "give its index instead" : "remove it");
      }
      checkShape(output.shape(), output.pointer() + "/shape", what);
      checkEngineSupports(output.dtype(), output.pointer(), what);
      output.denormalize().ifPresent(normalization -> checkNormalization(normalization, output.dtype(),
          output.shape(), output.pointer() + "/denormalize", what));
      checkPostprocessing(output, what);
    }
  }

  /**
   * A range's bounds are ordered, and for an integer input integers it holds; and within ±(2^53 − 1), where a bound
   * (a double) and every int64 value compare exactly: past it, 2^53 + 1 would be read as 2^53 and let through.
   */
  private void checkRange(ValueRange range, DType dtype, String pointer, String what) {
    if (dtype == DType.BOOL) {
      problem(pointer, what + " is bool, whose values are true and false", "remove the range");
      return;
    }
    if (range.min() > range.max()) {
      problem(pointer, what + " has a range whose min " + ValueRange.format(range.min()) + " is above its max "
          + ValueRange.format(range.max()), "swap the bounds");
    }
    for (String bound : new String[] {"min", "max"}) {
      double value = bound.equals("min") ? range.min() : range.max();
      if (Double.isInfinite(value)) {
        continue;
      }
      if (dtype.kind() == DType.Kind.INTEGER && value != Math.rint(value)) {
        problem(pointer + "/" + bound, what + " is " + dtype + ", and its range's " + bound + " "
            + ValueRange.format(value) + " is not an integer", "give an integer bound");
      } else if (value < dtype.min() || value > dtype.max()) {
        problem(pointer + "/" + bound, what + " is " + dtype + ", and its range's " + bound + " "
            + ValueRange.format(value) + " is outside what " + dtype + " holds", "give a bound " + dtype + " holds");
      } else if (dtype.kind() == DType.Kind.INTEGER && Math.abs(value) > ValueRange.LARGEST_EXACT_BOUND) {
        problem(pointer + "/" + bound, what + " is " + dtype + ", and its range's " + bound + " is beyond ±"
            + ValueRange.LARGEST_EXACT_BOUND + " (2^53 - 1), where bounds are not compared exactly",
            "give a bound within ±" + ValueRange.LARGEST_EXACT_BOUND + ", or leave that side unbounded");
      }
    }
  }

  /** DJL 0.36's PyTorch engine aborts the JVM creating bfloat16 tensors and reads them as an unknown type. */
  private void checkEngineSupports(DType dtype, String pointer, String what) {
    if (dtype == DType.BFLOAT16) {
      problem(pointer + "/dtype", what + " is bfloat16, which DJL's PyTorch engine can neither create nor read",
          "declare float32 and convert in forward (x.to(torch.bfloat16) on the way in, y.float() on the way out)");
    }
  }

  private void checkPostprocessing(OutputSpec output, String what) {
    if (output.softmax() && !output.labels().isEmpty()) {
      problem(output.pointer() + "/labels", what + " asks for both softmax and labels",
          "declare two outputs that read the same model output, one with each");
    }
    if (output.softmax() && !output.dtype().isFloat()) {
      problem(output.pointer() + "/softmax", what + " is " + output.dtype() + "; softmax needs a float dtype",
          "remove softmax or correct the dtype");
    }
    if (!output.labels().isEmpty()) {
      if (output.dtype() == DType.BOOL) {
        problem(output.pointer() + "/labels", what + " is bool; labels pick the largest of numbers",
            "remove labels or correct the dtype");
      }
      Dim last = output.shape().last();
      if (!(last instanceof Dim.Fixed fixed)) {
        problem(output.pointer() + "/labels", what + " picks a label along its last axis, which is the dynamic dim '"
            + last.describe() + "'", "give that axis a fixed size, the number of labels");
      } else if (fixed.size() != output.labels().size()) {
        problem(output.pointer() + "/labels", what + " has " + fixed.size() + " values on its last axis but "
            + output.labels().size() + " labels", "give exactly " + fixed.size() + " labels");
      }
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
    });
  }

  private void checkNormalization(Normalization normalization, DType dtype, TensorShape shape, String pointer,
      String what) {
    if (!dtype.isFloat()) {
      problem(pointer, what + " is " + dtype + "; normalization needs a float dtype",
          "remove the normalization or correct the dtype");
      return;
    }
    int axis = normalization.resolvedAxis(shape.rank());
    if (axis < 0 || axis >= shape.rank()) {
      problem(pointer + "/axis", what + " has rank " + shape.rank() + ", so it has no axis " + normalization.axis(),
          "use an axis from " + -shape.rank() + " to " + (shape.rank() - 1));
      return;
    }
    String[] names = normalization.statistics().keySet().toArray(String[]::new);
    List<List<Double>> stats = List.copyOf(normalization.statistics().values());
    if (!(shape.dim(axis) instanceof Dim.Fixed features)) {
      problem(pointer, what + " is normalized per feature on axis " + axis + ", which is the dynamic dim '"
          + shape.dim(axis).describe() + "'", "normalize along an axis of fixed size (axis: the feature axis)");
      return;
    }
    for (int i = 0; i < 2; i++) {
      if (stats.get(i).size() != features.size()) {
        problem(pointer + "/" + names[i], what + " has " + features.size() + " features on axis " + axis + " but "
            + stats.get(i).size() + " values of " + names[i], "give exactly " + features.size()
            + " values, or one number for every feature");
      }
    }
    String scale = pointer + "/" + names[1];
    for (int f = 0; f < Math.min(stats.get(0).size(), stats.get(1).size()); f++) {
      if (!(normalization.scale(f) > 0)) {
        // a statistic written as one number is one field: its first failing feature is reported, once
        boolean list = contract.source().lines().containsKey(scale + "/" + f);
        problem(list ? scale + "/" + f : scale, what + " has " + normalization.describeScale(f) + " for feature " + f,
            normalization.scaleFix());
        if (!list) {
          break;
        }
      }
    }
  }

  private void checkForward() {
    Map<String, String> used = new HashMap<>();
    List<ForwardArgument> arguments = contract.forward().arguments();
    for (int a = 0; a < arguments.size(); a++) {
      ForwardArgument argument = arguments.get(a);
      String pointer = "/forward/arguments/" + a;
      String field = argument instanceof ForwardArgument.Input ? "input"
          : argument instanceof ForwardArgument.Concat ? "concat"
          : argument instanceof ForwardArgument.Stack ? "stack" : "dict";
      List<InputSpec> members = new ArrayList<>();
      for (int i = 0; i < argument.inputs().size(); i++) {
        String name = argument.inputs().get(i);
        String at = argument instanceof ForwardArgument.Input ? pointer + "/input" : pointer + "/" + field + "/" + i;
        Optional<InputSpec> input = contract.input(name);
        if (input.isEmpty()) {
          problem(at, "forward names the input '" + name + "', which is not declared under inputs",
              "declare it or use one of " + contract.inputNames());
          continue;
        }
        if (used.putIfAbsent(name, at) != null) {
          problem(at, "the input '" + name + "' is passed to forward twice", "pass each input once");
        }
        members.add(input.get());
      }
      if (members.size() == argument.inputs().size()) {
        if (argument instanceof ForwardArgument.Concat concat) {
          checkConcat(concat, members, pointer);
        } else if (argument instanceof ForwardArgument.Stack stack) {
          checkStack(stack, members, pointer);
        }
      }
    }
    for (InputSpec input : contract.inputs()) {
      if (!used.containsKey(input.name())) {
        problem("/forward/arguments", "the input '" + input.name() + "' is not passed to forward",
            "add it to an argument, or remove the input");
      }
    }
  }

  private void checkConcat(ForwardArgument.Concat concat, List<InputSpec> members, String pointer) {
    InputSpec first = members.get(0);
    int rank = first.shape().rank();
    int axis = concat.axis() < 0 ? rank + concat.axis() : concat.axis();
    if (axis < 0 || axis >= rank) {
      problem(pointer + "/axis", "inputs of rank " + rank + " have no axis " + concat.axis(),
          "use an axis from " + -rank + " to " + (rank - 1));
      return;
    }
    for (int i = 0; i < members.size(); i++) {
      InputSpec input = members.get(i);
      String at = pointer + "/concat/" + i;
      if (input.dtype() != first.dtype()) {
        problem(at, "the input '" + input.name() + "' is " + input.dtype() + " but '" + first.name() + "' is "
            + first.dtype() + "; concatenated inputs share one dtype", "give them the same dtype");
      } else if (input.shape().rank() != rank) {
        problem(at, "the input '" + input.name() + "' has rank " + input.shape().rank() + " but '" + first.name()
            + "' has rank " + rank, "concatenate inputs of one rank");
      } else if (!(input.shape().dim(axis) instanceof Dim.Fixed)) {
        problem(at, "the input '" + input.name() + "' is concatenated on axis " + axis
            + ", which is the dynamic dim '" + input.shape().dim(axis).describe() + "'", "give that axis a fixed size");
      } else {
        for (int other = 0; other < rank; other++) {
          if (other != axis && !input.shape().dim(other).equals(first.shape().dim(other))) {
            problem(at, "the input '" + input.name() + "' has shape " + input.shape() + " and cannot be concatenated"
                + " on axis " + axis + " with '" + first.name() + "' of shape " + first.shape(),
                "make every axis but the concatenation axis the same in both");
            break;
          }
        }
      }
    }
  }

  private void checkStack(ForwardArgument.Stack stack, List<InputSpec> members, String pointer) {
    InputSpec first = members.get(0);
    int rank = first.shape().rank() + 1;
    int axis = stack.axis() < 0 ? rank + stack.axis() : stack.axis();
    if (axis < 0 || axis >= rank) {
      problem(pointer + "/axis", "stacking inputs of rank " + (rank - 1) + " gives rank " + rank
          + ", which has no axis " + stack.axis(), "use an axis from " + -rank + " to " + (rank - 1));
    }
    if (contract.batch().isPresent() && axis == 0) {
      problem(pointer + "/axis", "stacking on axis 0 would move the batch axis",
          "stack on an axis after the batch axis (1 or later, or negative)");
    }
    for (int i = 1; i < members.size(); i++) {
      InputSpec input = members.get(i);
      if (input.dtype() != first.dtype() || !input.shape().equals(first.shape())) {
        problem(pointer + "/stack/" + i, "the input '" + input.name() + "' is " + input.dtype() + " " + input.shape()
            + " but '" + first.name() + "' is " + first.dtype() + " " + first.shape()
            + "; stacked inputs share one dtype and shape", "give them the same dtype and shape");
      }
    }
  }

  private void problem(String pointer, String message, String suggestion) {
    problems.add(new ContractProblem(contract.locate(pointer), pointer, message, suggestion));
  }
}
