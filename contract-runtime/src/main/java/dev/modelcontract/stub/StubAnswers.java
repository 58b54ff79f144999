package dev.modelcontract.stub;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.ForwardSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.OutputSpec;
import dev.modelcontract.enforcement.BoundRequest;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.enforcement.ModelStandIn;
import dev.modelcontract.enforcement.OutputMapper;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ModelOutput;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import dev.modelcontract.validation.SampleRequests;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answers of a consumer stub: a golden pair's response where the request is its golden request (compared once
 * checked and normalized, so any format and any spelling of the same numbers match), otherwise outputs of the
 * declared names, shapes and dtypes as a model returning zeros would give them: through the contract's own output
 * mapping, so de-normalized outputs are their means, softmax outputs uniform, labels the first label. The testing
 * kit's in-process stub and the stub image ({@code serving image entrypoint: stub}) answer with it.
 */
public final class StubAnswers implements ModelStandIn {

  private record Recorded(BoundRequest request, Map<String, Tensor> response) {}

  private final ModelContract contract;
  private final OutputMapper outputs;
  private final List<Recorded> golden = new ArrayList<>();

  private StubAnswers(ModelContract contract) {
    this.contract = contract;
    this.outputs = new OutputMapper(contract);
  }

  /**
   * The contract served without its model: every request checked as the serving image checks it, valid ones
   * answered by a stub that knows these golden pairs.
   *
   * @throws ContractException when a default value in the contract does not fit its input
   * @throws IllegalArgumentException when a golden request breaks the contract
   */
  public static ContractModel serving(ModelContract contract, List<GoldenCase> golden) throws ContractException {
    StubAnswers answers = new StubAnswers(contract);
    ContractModel served = ContractModel.withoutModel(contract, answers);
    for (GoldenCase pair : golden) {
      answers.record(served, pair);
    }
    return served;
  }

  /**
   * Answers a golden pair's request with its response from now on.
   *
   * @throws IllegalArgumentException when the golden request breaks the contract
   */
  private void record(ContractModel served, GoldenCase pair) {
    try {
      Map<String, Tensor> response = new LinkedHashMap<>();
      contract.outputs().forEach(output -> response.put(output.name(), pair.response().get(output.name())));
      golden.add(new Recorded(served.bind(pair.request(served.requestReader())), response));
    } catch (TensorFormatException | ContractViolation e) {
      throw new IllegalArgumentException("golden pair " + pair.name() + " breaks the contract: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Tensor> answer(BoundRequest request) {
    for (Recorded recorded : golden) {
      if (same(recorded.request(), request)) {
        return recorded.response();
      }
    }
    try {
      return outputs.map(zeros(request.dims()), request);
    } catch (OutputMismatch e) {
      throw new IllegalStateException("the stub's own outputs break the contract: " + e.getMessage(), e);
    }
  }

  /** What a model returning zeros of every declared output's dtype and shape would return. */
  private List<ModelOutput> zeros(Map<String, Long> dims) {
    ForwardSpec.Returns returns = contract.forward().returns();
    Map<Integer, ModelOutput> byIndex = new HashMap<>();
    List<ModelOutput> returned = new ArrayList<>();
    for (OutputSpec spec : contract.outputs()) {
      long[] shape = new long[spec.shape().rank()];
      for (int axis = 0; axis < shape.length; axis++) {
        Dim dim = spec.shape().dim(axis);
        Long bound = dim instanceof Dim.Named named ? dims.get(named.name()) : null;
        shape[axis] = bound != null ? bound : SampleRequests.size(contract, dim, SampleRequests.Sizes.TYPICAL);
      }
      ModelOutput output = new ModelOutput(returns == ForwardSpec.Returns.DICT ? spec.dictKey() : null,
          spec.dtype().contractName(), zeros(spec, shape));
      if (returns == ForwardSpec.Returns.TUPLE) {
        byIndex.putIfAbsent(spec.index().orElseThrow(), output);
      } else if (returns == ForwardSpec.Returns.DICT || returned.isEmpty()) {
        returned.add(output); // every output of a single tensor reads the same one
      }
    }
    if (returns == ForwardSpec.Returns.TUPLE) {
      int size = byIndex.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
      ModelOutput filler = byIndex.values().iterator().next();
      for (int index = 0; index < size; index++) {
        returned.add(byIndex.getOrDefault(index, filler));
      }
    }
    return returned;
  }

  private static Tensor zeros(OutputSpec spec, long[] shape) {
    return Tensor.of(shape, Array.newInstance(spec.dtype().storage(), Math.toIntExact(Tensor.sizeOf(shape))));
  }

  private static boolean same(BoundRequest a, BoundRequest b) {
    if (a.unbatched() != b.unbatched() || a.inputs().size() != b.inputs().size()) {
      return false;
    }
    for (int i = 0; i < a.inputs().size(); i++) {
      Tensor x = a.inputs().get(i);
      Tensor y = b.inputs().get(i);
      if ((x == null) != (y == null)) {
        return false;
      }
      if (x != null && (!Arrays.equals(x.shape(), y.shape())
          || !Objects.deepEquals(new Object[] {x.array()}, new Object[] {y.array()}))) {
        return false;
      }
    }
    return true;
  }
}
