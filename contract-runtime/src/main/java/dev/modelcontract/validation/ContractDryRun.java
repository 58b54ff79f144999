package dev.modelcontract.validation;

import dev.modelcontract.contract.ContractProblem;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.enforcement.SkewViolation;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.SampleRequests.Sizes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Runs the real model on inputs of the contract's shapes — with every bounded dynamic dim at its minimum, at a
 * typical value, and at its maximum — and reports the first way the model disagrees with the contract, located
 * in the contract file. The serving image runs it at start as a self-check and warm-up; the Maven plugin runs it
 * at {@code validate}.
 */
public final class ContractDryRun {

  private ContractDryRun() {}

  /**
   * The result.
   *
   * @param problems empty when the model meets its contract
   * @param outputs what the model returned for the typical request
   * @param cases the requests tried, described by their shapes
   */
  public record Result(List<ContractProblem> problems, Map<String, Tensor> outputs, List<String> cases) {
    public boolean passed() {
      return problems.isEmpty();
    }
  }

  public static Result run(ContractModel model) {
    ModelContract contract = model.contract();
    Map<String, Tensor> typicalOutputs = Map.of();
    List<String> tried = new ArrayList<>();
    for (Sizes sizes : new Sizes[] {Sizes.TYPICAL, Sizes.MIN, Sizes.MAX}) {
      Map<String, Tensor> request = SampleRequests.of(contract, sizes, new Random(42));
      String shapes = describe(request);
      if (tried.contains(shapes)) {
        continue;
      }
      tried.add(shapes);
      String which = sizes.name().toLowerCase(Locale.ROOT) + " sizes " + shapes;
      try {
        Map<String, Tensor> outputs = model.predict(request);
        if (sizes == Sizes.TYPICAL) {
          typicalOutputs = outputs;
        }
      } catch (OutputMismatch e) {
        return failed(contract, e.pointer(), e.getMessage() + ", with " + which,
            "correct the contract or re-export the model", tried);
      } catch (ModelFailure e) {
        return failed(contract, "/forward", "the model rejected inputs of the contract's shapes, " + which + ": "
            + e.getMessage(), "make the inputs' shapes, dtypes and forward arguments match what the model's"
            + " forward expects", tried);
      } catch (SkewViolation e) {
        // drawn from the training statistics, within the ranges: the two disagree, or the limits are too tight
        String pointer = contract.input(e.input()).map(input -> input.pointer()).orElse("/inputs");
        return failed(contract, pointer + "/normalize", "requests drawn from the input's training statistics are"
            + " refused by its skew guard, " + which + ": " + e.getMessage(), "make the statistics those the model"
            + " was trained with (and the range, where there is one, hold them), or widen skew.limit", tried);
      } catch (ContractViolation e) {
        throw new IllegalStateException("a sample request broke its own contract: " + e.getMessage(), e);
      }
    }
    return new Result(List.of(), typicalOutputs, tried);
  }

  private static String describe(Map<String, Tensor> request) {
    Map<String, String> shapes = new LinkedHashMap<>();
    request.forEach((name, tensor) -> shapes.put(name, Arrays.toString(tensor.shape())));
    return shapes.toString().replace("=", "");
  }

  private static Result failed(ModelContract contract, String pointer, String message, String suggestion,
      List<String> tried) {
    return new Result(List.of(new ContractProblem(contract.locate(pointer), pointer, message, suggestion)),
        Map.of(), tried);
  }
}
