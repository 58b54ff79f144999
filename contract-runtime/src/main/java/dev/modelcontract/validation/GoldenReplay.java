package dev.modelcontract.validation;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.enforcement.SkewViolation;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.golden.TensorComparison;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replays golden pairs in this process, through the same path a request takes in the server (decode by the
 * contract's dtypes, enforce, normalize, forward, map, invert), on this process's CPU kernels. The Maven plugin's
 * {@code validate} runs it at build time, the serving image at every start.
 */
public final class GoldenReplay {

  /** The default allowed difference per value, relative to {@code 1 + |expected|}. */
  public static final double DEFAULT_TOLERANCE = 1e-5;

  private GoldenReplay() {}

  /** One check per pair, in order; a pair with a tolerance of its own is held to that one. */
  public static List<Check> replay(ContractModel model, List<GoldenCase> golden, double tolerance) {
    return golden.stream().map(pair -> replay(model, pair, tolerance)).toList();
  }

  public static Check replay(ContractModel model, GoldenCase golden, double tolerance) {
    String name = checkName(golden);
    try {
      long started = System.nanoTime();
      Map<String, Tensor> actual = model.predict(golden.request(model.requestReader()));
      double millis = (System.nanoTime() - started) / 1e6;
      return result(name, golden, actual, tolerance, millis);
    } catch (SkewViolation e) {
      return Check.fail(name, "the skew guard refuses the request: " + e.getMessage() + ". A golden request stands for"
          + " real traffic: draw it from the data the model was trained on, or, if such requests are real, widen"
          + " the contract's skew limits (docs/skew.md)");
    } catch (TensorFormatException | ContractViolation e) {
      return Check.fail(name, "the request breaks the contract: " + e.getMessage());
    } catch (OutputMismatch | ModelFailure e) {
      return Check.fail(name, e.getMessage());
    }
  }

  /** How a golden pair's check is named in every report. */
  public static String checkName(GoldenCase golden) {
    return "golden " + golden.name() + " (" + golden.description() + ")";
  }

  /**
   * Compares a served answer with the pair's response, within the pair's own tolerance where it has one, else the
   * one given; the same verdict in-process and over HTTP.
   */
  public static Check result(String name, GoldenCase golden, Map<String, ? extends Tensor> actual,
      double everyCase, double millis) {
    double tolerance = golden.toleranceOr(everyCase);
    List<String> differences = TensorComparison.differences(golden.response(), actual, tolerance);
    return differences.isEmpty()
        ? Check.pass(name, String.format(Locale.ROOT, "outputs %s within %s in %.3f ms", actual.keySet(), tolerance,
            millis))
        : Check.fail(name, String.join("; ", differences));
  }
}
