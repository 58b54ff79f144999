package dev.modelcontract.draft;

import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.TensorShape;
import dev.modelcontract.draft.ForwardSignature.Parameter;
import dev.modelcontract.draft.SampleRun.Learned;
import dev.modelcontract.draft.SampleRun.Observed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A contract drafted from a TorchScript file: inputs and forward's arguments from its signature, the return kind
 * and a literal dict's keys from its code, and, given a sample request, every dtype and shape from running it
 * ({@link SampleRun}). What none of these tell is left {@link Drafted#todo to do}.
 *
 * @param modelFile the model file's name, as the contract names it
 * @param signature forward's signature, as {@link ForwardSignature#describe()} writes it
 * @param sample the sample request's file name, where a run taught the shapes
 * @param batch whether the draft has a batch axis ({@value SampleRun#BATCH}); assumed without a run
 * @param sequence whether {@value SampleRun#SEQUENCE} names a dim; assumed without a run
 * @param learnedDims whether the runs, not an assumption, gave {@code batch} and {@code sequence}
 * @param inputs the request's inputs
 * @param arguments forward's arguments
 * @param returns {@code tensor}, {@code tuple} or {@code dict}
 * @param outputs the response's outputs
 * @param notes what the draft's header says besides: arguments left to defaults, runs the model refused
 */
public record ContractDraft(String modelFile, String signature, Optional<String> sample, boolean batch,
    boolean sequence, boolean learnedDims, List<Input> inputs, List<Argument> arguments, Drafted<String> returns,
    List<Output> outputs, List<String> notes) {

  public ContractDraft {
    inputs = List.copyOf(inputs);
    arguments = List.copyOf(arguments);
    outputs = List.copyOf(outputs);
    notes = List.copyOf(notes);
  }

  /** A request input; {@code comment} says where its values came from. */
  public record Input(String name, Drafted<DType> dtype, Drafted<TensorShape> shape, String comment) {}

  /** One of forward's arguments: {@code input} (one name) or {@code dict} (names), or what to write instead. */
  public record Argument(String form, Drafted<List<String>> names) {}

  /** A response output: read by {@code index} from a tuple, by {@code key} from a dict. */
  public record Output(Drafted<String> name, Optional<Integer> index, Optional<String> key, Drafted<DType> dtype,
      Drafted<TensorShape> shape, String comment) {}

  /** Whether any value is left for the user. */
  public boolean hasTodos() {
    return todos().findAny().isPresent();
  }

  /** How many values are left for the user. */
  public long todoCount() {
    return todos().count();
  }

  private Stream<Drafted<?>> todos() {
    Stream<Drafted<?>> values = Stream.concat(
        inputs.stream().flatMap(input -> Stream.of(input.dtype(), input.shape())),
        outputs.stream().flatMap(output -> Stream.of(output.name(), output.dtype(), output.shape())));
    values = Stream.concat(values, arguments.stream().map(Argument::names));
    return Stream.concat(values, Stream.of(returns)).filter(value -> !value.isLearned());
  }

  /**
   * Drafts the contract of a TorchScript file, running it on a sample request where one is given.
   *
   * @param sampleHint how to give init a sample, for the marks: e.g. {@code -Dmodelcontract.init.sample=request.json}
   * @throws DraftException when the file is not a TorchScript model, the sample not a request, or the engine cannot
   *     load the model
   */
  public static ContractDraft of(Path modelFile, Optional<Path> sampleFile, String sampleHint) throws DraftException {
    ForwardSignature signature = ForwardSignature.read(modelFile);
    Optional<SampleRequest> sample = sampleFile.isPresent()
        ? Optional.of(SampleRequest.read(sampleFile.get())) : Optional.empty();
    ForwardBinding binding = ForwardBinding.of(signature,
        sample.map(request -> List.copyOf(request.inputs().keySet())).orElse(List.of()));
    Optional<Learned> learned = sample.isPresent()
        ? Optional.of(SampleRun.learn(modelFile, binding, sample.get())) : Optional.empty();
    return of(modelFile.getFileName().toString(), signature, binding,
        sampleFile.map(file -> file.getFileName().toString()), learned, sampleHint);
  }

  /** The draft of what the signature and, where given, a run on a sample taught. */
  static ContractDraft of(String modelFile, ForwardSignature signature, ForwardBinding binding,
      Optional<String> sample, Optional<Learned> learned, String sampleHint) {
    Optional<Learned> run = learned.filter(result -> result.failure().isEmpty());
    String unlearned = learned.flatMap(Learned::failure)
        .map(failure -> " (init could not learn it: " + failure + ")")
        .orElse(", or give init a sample request to learn it (" + sampleHint + ")");
    List<String> notes = new ArrayList<>();
    binding.defaulted().forEach(parameter -> notes.add("forward's " + parameter + " keeps its default"));
    run.ifPresent(result -> notes.addAll(result.notes()));

    List<Input> inputs = new ArrayList<>();
    List<Argument> arguments = new ArrayList<>();
    for (ForwardBinding.Argument argument : binding.arguments()) {
      Parameter parameter = argument.parameter();
      if (argument instanceof ForwardBinding.TensorInput) {
        inputs.add(input(parameter.name(), run, unlearned, parameter.type().isOptionalTensor()
            ? "Optional[Tensor] in forward: the contract always passes one; a default: lets requests omit it" : ""));
        arguments.add(new Argument("input", Drafted.learned(List.of(parameter.name()))));
      } else if (argument instanceof ForwardBinding.TensorDict dict) {
        dict.keys().value().ifPresent(keys -> keys.forEach(key -> inputs.add(input(key, run, unlearned,
            "a key of forward's " + parameter.name() + ": Dict[str, Tensor]"))));
        arguments.add(new Argument("dict", dict.keys()));
      } else {
        arguments.add(new Argument("input", Drafted.todo("make forward take tensors only: its argument '"
            + parameter + "' is of a type a contract cannot pass (or give it a default, after every tensor)"
            + ", and save the model again")));
      }
    }
    TorchType returnType = signature.returns();
    Drafted<String> returns = returnType.isTensor() ? Drafted.learned("tensor")
        : returnType.isTensorTuple() ? Drafted.learned("tuple")
        : returnType.isTensorDict() ? Drafted.learned("dict")
        : Drafted.todo("make forward return a Tensor, a Tuple of Tensors or a Dict[str, Tensor], not "
            + returnType + ", and save the model again");
    List<Output> outputs = outputs(returnType, signature.returnedKeys(), run, unlearned);
    boolean batch = run.map(Learned::batch).orElse(true);
    boolean sequence = run.map(Learned::sequence).orElse(true);
    return new ContractDraft(modelFile, signature.describe(), run.isPresent() ? sample : Optional.empty(), batch,
        sequence, run.isPresent(), inputs, arguments, returns, outputs, notes);
  }

  private static Input input(String name, Optional<Learned> run, String unlearned, String comment) {
    Optional<Observed> seen = run.map(result -> result.inputs().get(name));
    if (seen.isEmpty()) {
      return new Input(name, Drafted.todo("write it (float32, int64, bool, ...)" + unlearned),
          Drafted.todo("write it, e.g. [batch, T, 3]" + unlearned), comment);
    }
    Observed observed = seen.get();
    return new Input(name, Drafted.learned(DType.fromContractName(observed.dtype()).orElseThrow()),
        Drafted.learned(observed.shape()), join("sample " + observed.describeSample(), comment));
  }

  private static List<Output> outputs(TorchType returns, Optional<List<String>> codeKeys, Optional<Learned> run,
      String unlearned) {
    List<Output> outputs = new ArrayList<>();
    if (run.isPresent() && (returns.isTensor() || returns.isTensorTuple() || returns.isTensorDict())) {
      List<Observed> observed = returns.isTensorDict() ? inKeyOrder(run.get().outputs(), codeKeys)
          : run.get().outputs();
      for (int i = 0; i < observed.size(); i++) {
        Observed output = observed.get(i);
        String name = returns.isTensorDict() ? OutputNames.of(output.key().orElseThrow())
            : returns.isTensor() ? "output" : "output_" + (i + 1);
        Optional<String> key = output.key().filter(returned -> !returned.equals(name));
        Drafted<DType> dtype = DType.fromContractName(output.dtype()).<Drafted<DType>>map(Drafted::learned)
            .orElse(Drafted.todo("make the model return a dtype a contract declares (float32, int64, ...), not "
                + output.dtype()));
        outputs.add(new Output(Drafted.learned(name), returns.isTensorTuple() ? Optional.of(i) : Optional.empty(),
            key, dtype, Drafted.learned(output.shape()), "sample " + output.describeSample()));
      }
      return outputs;
    }
    if (returns.isTensorDict() && codeKeys.isEmpty()) {
      outputs.add(new Output(Drafted.todo("name one output per key of the Dict[str, Tensor] forward returns (its"
          + " code fills the dict key by key)" + unlearned), Optional.empty(), Optional.empty(),
          Drafted.todo("write it (float32, ...)" + unlearned), Drafted.todo("write it, e.g. [batch, 1]" + unlearned),
          ""));
      return outputs;
    }
    List<String> names = returns.isTensorDict() ? codeKeys.get()
        : returns.isTensorTuple() ? Stream.iterate(1, i -> i + 1).limit(returns.arguments().size())
            .map(i -> "output_" + i).toList()
        : List.of("output");
    for (int i = 0; i < names.size(); i++) {
      String key = names.get(i);
      String name = returns.isTensorDict() ? OutputNames.of(key) : key;
      outputs.add(new Output(Drafted.learned(name), returns.isTensorTuple() ? Optional.of(i) : Optional.empty(),
          returns.isTensorDict() && !key.equals(name) ? Optional.of(key) : Optional.empty(),
          Drafted.todo("write it (float32, int64, bool, ...)" + unlearned),
          Drafted.todo("write it, e.g. [batch, 1]" + unlearned),
          returns.isTensorDict() ? "key " + key + " from forward's code" : ""));
    }
    return outputs;
  }

  /** A dict's outputs in the order forward's code writes its keys, else by key: the engine keeps no order. */
  private static List<Observed> inKeyOrder(List<Observed> outputs, Optional<List<String>> codeKeys) {
    List<String> order = codeKeys.orElse(List.of());
    return outputs.stream().sorted(Comparator
        .comparingInt((Observed output) -> order.contains(output.key().orElseThrow())
            ? order.indexOf(output.key().orElseThrow()) : order.size())
        .thenComparing(output -> output.key().orElseThrow())).toList();
  }

  private static String join(String first, String second) {
    return second.isEmpty() ? first : first + "; " + second;
  }
}
