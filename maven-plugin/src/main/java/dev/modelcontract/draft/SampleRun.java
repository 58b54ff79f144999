package dev.modelcontract.draft;

import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.TensorShape;
import dev.modelcontract.inference.ModelArgument;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.inference.ModelOutput;
import dev.modelcontract.inference.TorchScriptModel;
import dev.modelcontract.tensors.Tensor;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Learns shapes and dtypes by running the model, loaded as the server loads it ({@link TorchScriptModel}), on a
 * sample request, and twice more to tell dynamic axes from fixed ones:
 * <ul>
 *   <li>the batch axis ({@value #BATCH}): where every input has a first axis of one size B, the sample with one more
 *       row (a copy of the first); it is the batch axis when the model takes that and every output's first axis
 *       follows, B then B + 1;
 *   <li>the sequence axis ({@value #SEQUENCE}): where the model takes batches, inputs of rank 3 read as
 *       {@code [batch, T, features]}; the sample with one more step (a copy of the last) on axis 1 of those that
 *       share the first one's length; an output axis whose size follows, T then T + 1, is {@code T} too.
 * </ul>
 * Every other axis is drafted at the sample's size.
 */
public final class SampleRun {

  /** The named dim of the batch axis. */
  public static final String BATCH = "batch";
  /** The named dim of the sequence axis. */
  public static final String SEQUENCE = "T";

  private SampleRun() {}

  /**
   * What a run taught.
   *
   * @param inputs each input's dtype and drafted shape, by name; empty where the model could not run
   * @param outputs what forward returned, in order (a dict's entries with their keys)
   * @param batch whether the first axis of every input and output is the batch axis
   * @param sequence whether {@value #SEQUENCE} names an axis
   * @param notes what the runs showed beyond shapes, for the draft's comments
   * @param failure why the model could not run on the sample, where it could not
   */
  public record Learned(Map<String, Observed> inputs, List<Observed> outputs, boolean batch, boolean sequence,
      List<String> notes, Optional<String> failure) {

    public Learned {
      inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
      outputs = List.copyOf(outputs);
      notes = List.copyOf(notes);
    }

    static Learned failed(String reason) {
      return new Learned(Map.of(), List.of(), false, false, List.of(), Optional.of(reason));
    }
  }

  /**
   * One tensor as the sample run saw it.
   *
   * @param key an output's key in the returned dict; empty for inputs and other outputs
   * @param dtype its dtype, in contract spelling where the contract has it
   * @param sample its shape in the sample run
   * @param shape its drafted shape: named dims where the runs showed them
   */
  public record Observed(Optional<String> key, String dtype, long[] sample, TensorShape shape) {

    public String describeSample() {
      return Arrays.toString(sample);
    }
  }

  /**
   * Runs the model on the sample.
   *
   * @throws DraftException when the model cannot be loaded by the engine
   */
  public static Learned learn(Path modelFile, ForwardBinding binding, SampleRequest sample) throws DraftException {
    Map<String, ModelArgument.Single> passed = new LinkedHashMap<>();
    List<Function<Map<String, ModelArgument.Single>, ModelArgument>> slots = new ArrayList<>();
    for (ForwardBinding.Argument argument : binding.arguments()) {
      String name = argument.parameter().name();
      if (argument instanceof ForwardBinding.TensorInput) {
        if (!sample.inputs().containsKey(name)) {
          return Learned.failed("the sample request has no '" + name + "' for forward's argument of that name");
        }
        passed.put(name, sample.inputs().get(name));
        slots.add(inputs -> inputs.get(name));
      } else if (argument instanceof ForwardBinding.TensorDict dict && dict.keys().isLearned()) {
        List<String> keys = dict.keys().value().orElseThrow();
        keys.forEach(key -> passed.put(key, sample.inputs().get(key)));
        slots.add(inputs -> {
          Map<String, ModelArgument.Single> entries = new LinkedHashMap<>();
          keys.forEach(key -> entries.put(key, inputs.get(key)));
          return new ModelArgument.Dict(entries);
        });
      } else {
        return Learned.failed("forward's argument '" + argument.parameter() + "' cannot be passed from the sample");
      }
    }
    try (TorchScriptModel model = TorchScriptModel.load(modelFile)) {
      return new Runs(model, slots).learn(passed);
    } catch (IOException e) {
      throw new DraftException("the engine cannot load " + modelFile + ": " + e.getMessage()
          + "; save the model with torch.jit.save(torch.jit.script(model), path)", e);
    }
  }

  /** The runs on one model, each on the named inputs assembled into forward's arguments. */
  private record Runs(TorchScriptModel model, List<Function<Map<String, ModelArgument.Single>, ModelArgument>> slots) {

    List<ModelOutput> run(Map<String, ModelArgument.Single> inputs) throws ModelFailure {
      return model.forward(slots.stream().map(slot -> slot.apply(inputs)).toList());
    }

    Learned learn(Map<String, ModelArgument.Single> passed) {
      List<ModelOutput> base;
      try {
        base = run(passed);
      } catch (ModelFailure e) {
        return Learned.failed("the model failed on the sample request: " + e.getMessage());
      }
      List<String> notes = new ArrayList<>();
      long rows = commonFirstAxis(passed.values());
      boolean batch = rows > 0 && batchAxis(passed, base, rows, notes);
      Set<String> sequences = Set.of();
      long steps = batch ? passed.values().stream().filter(input -> input.tensor().rank() == 3)
          .mapToLong(input -> input.tensor().dim(1)).findFirst().orElse(-1) : -1;
      if (steps > 0) {
        sequences = passed.entrySet().stream()
            .filter(entry -> entry.getValue().tensor().rank() == 3 && entry.getValue().tensor().dim(1) == steps)
            .map(Map.Entry::getKey).collect(Collectors.toSet());
      }
      boolean[][] outputAxes = sequences.isEmpty() ? null : sequenceAxes(passed, sequences, base, steps, notes);
      boolean sequence = outputAxes != null;
      Map<String, Observed> inputs = new LinkedHashMap<>();
      for (Map.Entry<String, ModelArgument.Single> input : passed.entrySet()) {
        long[] shape = input.getValue().tensor().shape();
        boolean[] sequenceAxis = new boolean[shape.length];
        if (sequence && sequences.contains(input.getKey())) {
          sequenceAxis[1] = true; // inputs of rank 3 only
        }
        inputs.put(input.getKey(), new Observed(Optional.empty(), input.getValue().dtype().contractName(), shape,
            drafted(shape, batch, sequenceAxis)));
      }
      List<Observed> outputs = new ArrayList<>();
      for (int i = 0; i < base.size(); i++) {
        ModelOutput output = base.get(i);
        long[] shape = output.tensor().shape();
        outputs.add(new Observed(Optional.ofNullable(output.key()), output.dtype(), shape,
            drafted(shape, batch, sequence ? outputAxes[i] : new boolean[shape.length])));
      }
      return new Learned(inputs, outputs, batch, sequence, notes, Optional.empty());
    }

    /** Whether the model takes one more row and every output's first axis grows with it. */
    private boolean batchAxis(Map<String, ModelArgument.Single> passed, List<ModelOutput> base, long rows,
        List<String> notes) {
      List<ModelOutput> grown;
      try {
        grown = run(grownInputs(passed, (name, input) -> withOneMoreRow(input)));
      } catch (ModelFailure e) {
        notes.add("the model did not run on a batch of " + (rows + 1) + " (" + e.getMessage() + "): no batch axis"
            + " drafted");
        return false;
      }
      for (int i = 0; i < base.size(); i++) {
        long[] before = base.get(i).tensor().shape();
        long[] after = i < grown.size() ? grown.get(i).tensor().shape() : new long[0];
        if (before.length == 0 || after.length != before.length || before[0] != rows || after[0] != rows + 1) {
          notes.add("output " + describe(base.get(i), i) + " did not follow the batch size (" + rows + ", then "
              + (rows + 1) + "): no batch axis drafted");
          return false;
        }
      }
      return true;
    }

    /** For each output, the axes whose size follows the sequence length; null where longer ones are refused. */
    private boolean[][] sequenceAxes(Map<String, ModelArgument.Single> passed, Set<String> sequences,
        List<ModelOutput> base, long steps, List<String> notes) {
      List<ModelOutput> grown;
      try {
        grown = run(grownInputs(passed,
            (name, input) -> sequences.contains(name) ? withOneMoreStep(input) : input));
      } catch (ModelFailure e) {
        notes.add("the model did not run on sequences of " + (steps + 1) + " steps (" + e.getMessage() + "): axis"
            + " 1 of " + String.join(", ", sequences) + " is drafted at the sample's " + steps);
        return null;
      }
      boolean[][] axes = new boolean[base.size()][];
      for (int i = 0; i < base.size(); i++) {
        long[] before = base.get(i).tensor().shape();
        long[] after = i < grown.size() ? grown.get(i).tensor().shape() : new long[0];
        axes[i] = new boolean[before.length];
        for (int axis = 1; axis < before.length && after.length == before.length; axis++) {
          axes[i][axis] = before[axis] == steps && after[axis] == steps + 1;
        }
      }
      return axes;
    }
  }

  private static Map<String, ModelArgument.Single> grownInputs(Map<String, ModelArgument.Single> inputs,
      BiFunction<String, ModelArgument.Single, ModelArgument.Single> grow) {
    Map<String, ModelArgument.Single> grown = new LinkedHashMap<>();
    inputs.forEach((name, input) -> grown.put(name, grow.apply(name, input)));
    return grown;
  }

  /** The size of every input's first axis where they share one, else -1. */
  private static long commonFirstAxis(Collection<ModelArgument.Single> inputs) {
    long rows = -1;
    for (ModelArgument.Single input : inputs) {
      if (input.tensor().rank() == 0 || (rows >= 0 && input.tensor().dim(0) != rows)) {
        return -1;
      }
      rows = input.tensor().dim(0);
    }
    return rows;
  }

  private static TensorShape drafted(long[] shape, boolean batch, boolean[] sequenceAxis) {
    List<Dim> dims = new ArrayList<>(shape.length);
    for (int axis = 0; axis < shape.length; axis++) {
      dims.add(axis == 0 && batch ? new Dim.Named(BATCH)
          : sequenceAxis[axis] ? new Dim.Named(SEQUENCE) : new Dim.Fixed(shape[axis]));
    }
    return new TensorShape(dims);
  }

  /** The input with a copy of its first row appended on axis 0. */
  static ModelArgument.Single withOneMoreRow(ModelArgument.Single input) {
    Tensor tensor = input.tensor();
    int row = tensor.size() / (int) tensor.dim(0);
    Object array = tensor.array();
    Object grown = Array.newInstance(array.getClass().getComponentType(), tensor.size() + row);
    System.arraycopy(array, 0, grown, 0, tensor.size());
    System.arraycopy(array, 0, grown, tensor.size(), row);
    long[] shape = tensor.shape().clone();
    shape[0]++;
    return new ModelArgument.Single(input.dtype(), Tensor.of(shape, grown));
  }

  /** A {@code [batch, T, F]} input with a copy of each sequence's last step appended on axis 1. */
  static ModelArgument.Single withOneMoreStep(ModelArgument.Single input) {
    Tensor tensor = input.tensor();
    int rows = (int) tensor.dim(0);
    int steps = (int) tensor.dim(1);
    int step = (int) tensor.dim(2);
    Object array = tensor.array();
    Object grown = Array.newInstance(array.getClass().getComponentType(), rows * (steps + 1) * step);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(array, r * steps * step, grown, r * (steps + 1) * step, steps * step);
      System.arraycopy(array, (r * steps + steps - 1) * step, grown, r * (steps + 1) * step + steps * step, step);
    }
    return new ModelArgument.Single(input.dtype(), Tensor.of(new long[] {rows, steps + 1, step}, grown));
  }

  private static String describe(ModelOutput output, int index) {
    return output.key() != null ? "'" + output.key() + "'" : String.valueOf(index);
  }
}
