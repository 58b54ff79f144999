package dev.modelcontract.inference;

import dev.modelcontract.contract.ContractProblem;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.enforcement.ContractViolation;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.enforcement.SampleRequests;
import dev.modelcontract.tensors.FloatTensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs the real model once on inputs of the contract's shapes and reports every way the model disagrees with
 * the contract, located in the contract file. The serving image runs it at start as a self-check and warm-up;
 * the Maven plugin runs it at {@code validate}.
 */
public final class ContractDryRun {

  private ContractDryRun() {}

  /** The result: problems (empty when the model meets its contract) and what the model returned. */
  public record Result(List<ContractProblem> problems, Map<String, FloatTensor> outputs) {
    public boolean passed() {
      return problems.isEmpty();
    }
  }

  public static Result run(ContractModel model) {
    ModelContract contract = model.contract();
    Map<String, FloatTensor> request = SampleRequests.typical(contract, new Random(42));
    try {
      return new Result(List.of(), model.predict(request));
    } catch (OutputMismatch e) {
      return failed(contract, e.pointer(), e.getMessage(), "correct the contract or re-export the model");
    } catch (ModelFailure e) {
      return failed(contract, "/forward", "the model rejected inputs of the contract's shapes "
          + describe(request) + ": " + e.getMessage(), "make the inputs' shapes and forward arguments match"
          + " what the model's forward expects");
    } catch (ContractViolation e) {
      throw new IllegalStateException("a sample request broke its own contract: " + e.getMessage(), e);
    }
  }

  private static String describe(Map<String, FloatTensor> request) {
    StringBuilder text = new StringBuilder("(");
    request.forEach((name, tensor) -> text.append(text.length() > 1 ? ", " : "").append(name)
        .append(Arrays.toString(tensor.shape())));
    return text.append(')').toString();
  }

  private static Result failed(ModelContract contract, String pointer, String message, String suggestion) {
    return new Result(List.of(new ContractProblem(contract.locate(pointer), pointer, message, suggestion)),
        Map.of());
  }
}
