package dev.modelcontract.testkit;

import dev.modelcontract.contract.BatchSpec;
import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.SkewSpec;
import dev.modelcontract.contract.ValueRange;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.enforcement.SkewViolation;
import dev.modelcontract.hosting.SageMakerHosting;
import dev.modelcontract.server.ProblemType;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.Check;
import dev.modelcontract.validation.SampleRequests;
import dev.modelcontract.validation.SkewedRequests;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import tools.jackson.core.JacksonException;

/**
 * The conformance suite's skew cases: the mistakes shapes cannot catch ({@link SkewedRequests}: the inputs sent
 * already normalized, two features swapped, an input in a unit 1000 times smaller), each made where the contract gives
 * it something to be made on, from a request drawn from the contract's training statistics with as many rows as the
 * batch dim allows up to {@value #ROWS} (one where the contract has no batch axis; fewer where the body would pass
 * the body limit).
 *
 * <ul>
 *   <li>Where an input the mistake changed is guarded ({@code skew.refuse}) and the contract's guard takes the
 *       request for skew: refused 422 {@code input-skew} naming that input, and, at {@value #ROWS} rows, with the
 *       mistake's {@code diagnosis} (fewer rows are not enough for a reliable one: it is reported, not required).
 *   <li>Where none is guarded and one is observed: answered 200, and shown on GET /metrics
 *       ({@link SkewObservation}).
 *   <li>Where none is observed either ({@code skew.observe: false}): answered 200.
 * </ul>
 *
 * <p>What the guard makes of a request is decided here by the runtime's own enforcement, the contract served without
 * its model: a mistake it would not take for skew (too few rows for the evidence), one that breaks the contract
 * otherwise (a value outside the input's {@code range}), and one that would not move a feature far enough to show on
 * /metrics are listed as skipped, with the reason.
 */
final class SkewCases {

  /** The rows a request is drawn with where the batch dim allows them: enough for a reliable diagnosis. */
  static final long ROWS = 8;

  /**
   * A request drawn from the training statistics.
   *
   * @param request the inputs
   * @param rows its batch size; 1 without a batch axis
   */
  private record Drawn(Map<String, Tensor> request, long rows) {}

  private SkewCases() {}

  /** The cases of a contract, its request drawn with this seed; none where no input has training statistics. */
  static List<ConformanceSuite.Case> of(ModelContract contract, long seed) {
    List<ConformanceSuite.Case> cases = new ArrayList<>();
    if (contract.inputs().stream().noneMatch(input -> input.skew().isPresent())) {
      return cases;
    }
    Optional<Drawn> drawn = draw(contract, seed);
    if (drawn.isEmpty()) {
      cases.add(skipped("skips skew: every mistake", "a request of one row would be over the body limit of "
          + SageMakerHosting.MAX_BODY_BYTES + " bytes"));
      return cases;
    }
    try (ContractModel local = local(contract)) {
      for (SkewedRequests.Kind kind : SkewedRequests.Kind.values()) {
        SkewedRequests.of(contract, kind, drawn.get().request())
            .ifPresent(skewed -> cases.add(of(contract, local, drawn.get(), skewed)));
      }
    }
    return cases;
  }

  private static ConformanceSuite.Case of(ModelContract contract, ContractModel local, Drawn drawn,
      SkewedRequests.Skewed skewed) {
    SkewedRequests.Kind kind = skewed.kind();
    List<InputSpec> changed = contract.inputs().stream().filter(input -> skewed.request().containsKey(input.name())
        && !same(drawn.request().get(input.name()), skewed.request().get(input.name()))).toList();
    String label = "skew: " + kind.diagnosis() + " " + skewed.input();
    String mistake = skewed.description() + ", " + drawn.rows() + (drawn.rows() == 1 ? " row" : " rows");
    byte[] body = RequestFormat.JSON.encode(skewed.request());
    if (body.length > SageMakerHosting.MAX_BODY_BYTES) {
      return skipped("skips " + label, "its JSON body would be " + body.length + " bytes, over the body limit of "
          + SageMakerHosting.MAX_BODY_BYTES + " bytes");
    }
    if (changed.isEmpty()) {
      return skipped("skips " + label, "the contract's training statistics leave the request as it was");
    }
    Optional<InputSpec> guarded = changed.stream().filter(input -> input.skew().map(SkewSpec::refuse).orElse(false))
        .findFirst();
    try {
      local.bind(copy(skewed.request()));
    } catch (SkewViolation e) {
      String name = "skew: " + kind.diagnosis() + " " + e.input() + " refused " + ProblemType.INPUT_SKEW.status()
          + " " + ProblemType.INPUT_SKEW.slug();
      return new ConformanceSuite.Case(name, ConformanceSuite.Kind.SKEW,
          client -> refused(client, name, body, e.input(), kind, drawn.rows(), mistake));
    } catch (ContractViolation e) {
      return skipped("skips " + label, "it breaks the contract otherwise, and would be refused before its skew is"
          + " judged: " + e.getMessage());
    }
    if (guarded.isPresent()) {
      return skipped("skips " + label, "at " + drawn.rows() + (drawn.rows() == 1 ? " row" : " rows") + " the"
          + " skew guard of '" + guarded.get().name() + "' (limit " + ValueRange.format(guarded.get().skew()
          .orElseThrow().limit()) + ", odds " + ValueRange.format(guarded.get().skew().orElseThrow().odds())
          + ") does not take " + skewed.description() + " for skew: the evidence grows with the rows");
    }
    List<InputSpec> observed = changed.stream().filter(input -> input.skew().map(SkewSpec::observe).orElse(false))
        .toList();
    if (observed.isEmpty()) {
      String name = label + " answered 200, neither refused nor observed";
      return new ConformanceSuite.Case(name, ConformanceSuite.Kind.SKEW, client -> answered(client, name, body,
          mistake));
    }
    for (InputSpec input : observed) {
      Tensor sent = skewed.request().get(input.name());
      if (SkewObservation.most(SkewObservation.measure(input, sent)).visible()) {
        String name = "skew: " + kind.diagnosis() + " " + input.name() + " shows on GET /metrics";
        return new ConformanceSuite.Case(name, ConformanceSuite.Kind.SKEW,
            client -> SkewObservation.judge(client, name, body, input, sent, mistake));
      }
    }
    InputSpec first = observed.get(0);
    return skipped("skips " + label, "it would not show on /metrics: the feature of '" + first.name() + "' it"
        + " moves most, " + SkewObservation.most(SkewObservation.measure(first, skewed.request().get(first.name())))
        .describe() + ", is within " + ValueRange.format(SkewObservation.VISIBLE) + " of training");
  }

  /**
   * The contract served here without its model, as the image serves it: what its own skew guard makes of a request
   * decides whether a refusal is expected.
   */
  private static ContractModel local(ModelContract contract) {
    try {
      return ContractModel.withoutModel(contract, bound -> Map.of());
    } catch (ContractException e) {
      throw new IllegalArgumentException("the contract cannot be served: " + e.getMessage(), e);
    }
  }

  /** Refused 422 input-skew naming the input; at {@value #ROWS} rows, with the mistake's diagnosis. */
  private static Check refused(ContractClient client, String name, byte[] body, String input,
      SkewedRequests.Kind kind, long rows, String mistake) {
    Answer answer = client.send(RequestFormat.JSON.mediaType(), null, body);
    ProblemType expected = ProblemType.INPUT_SKEW;
    if (answer.status() != expected.status()) {
      return Check.fail(name, "got status " + answer.status() + " for " + mistake + ", where the contract refuses"
          + " the skew of '" + input + "': " + answer.text());
    }
    if (!answer.isProblem()) {
      return Check.fail(name, "got Content-Type '" + answer.contentType() + "', expected application/problem+json");
    }
    if (!expected.slug().equals(answer.problemType())) {
      return Check.fail(name, "got a problem of type '" + answer.problemType() + "', expected '" + expected.slug()
          + "' for " + mistake + ": " + answer.text());
    }
    try {
      String named = answer.problem().path("input").asString(null);
      if (!input.equals(named)) {
        return Check.fail(name, "the problem names the input '" + named + "', expected '" + input + "' for "
            + mistake + ": " + answer.text());
      }
      String diagnosis = answer.problem().path("diagnosis").asString("");
      String detail = answer.problem().path("detail").asString("");
      if (rows >= ROWS && !kind.diagnosis().equals(diagnosis)) {
        return Check.fail(name, "diagnosed '" + diagnosis + "', expected '" + kind.diagnosis() + "' for " + mistake
            + ": " + detail);
      }
      return Check.pass(name, "diagnosis " + diagnosis + (rows < ROWS ? " (reported, not required: a reliable one"
          + " takes " + ROWS + " rows, and the batch dim allows " + rows + ")" : "") + ": " + detail);
    } catch (JacksonException e) {
      return Check.fail(name, "the problem body is not JSON: " + e.getOriginalMessage());
    }
  }

  /** Answered 200: an input neither guarded nor observed. */
  private static Check answered(ContractClient client, String name, byte[] body, String mistake) {
    Answer answer = client.send(RequestFormat.JSON.mediaType(), null, body);
    return answer.status() == 200 ? Check.pass(name, "answered 200 (" + mistake + "); the contract neither refuses"
        + " nor observes this skew (skew.refuse and skew.observe are false), so /metrics cannot show it")
        : Check.fail(name, "got status " + answer.status() + " for " + mistake + ", which the contract does not"
            + " refuse: " + answer.text());
  }

  /**
   * Every required input at the typical sizes, its batch axis at {@value #ROWS} rows within the batch dim's bounds
   * (halved until the JSON body fits the body limit), drawn with the seed; empty where one row does not fit.
   */
  private static Optional<Drawn> draw(ModelContract contract, long seed) {
    String batch = contract.batch().map(BatchSpec::dim).orElse(null);
    DimSpec bounds = batch == null ? null : contract.dim(batch);
    long rows = bounds == null ? 1 : Math.max(bounds.min(), Math.min(bounds.max(), ROWS));
    while (true) {
      Random random = new Random(seed);
      Map<String, Tensor> request = new LinkedHashMap<>();
      for (InputSpec input : contract.inputs()) {
        if (input.optional()) {
          continue;
        }
        long size = rows;
        long[] shape = input.shape().dims().stream().mapToLong(dim -> dim instanceof Dim.Named named
            && named.name().equals(batch) ? size : SampleRequests.size(contract, dim, SampleRequests.Sizes.TYPICAL))
            .toArray();
        request.put(input.name(), SampleRequests.valueOf(input, shape, random));
      }
      if (RequestFormat.JSON.encode(request).length <= SageMakerHosting.MAX_BODY_BYTES) {
        return Optional.of(new Drawn(request, rows));
      }
      if (bounds == null || rows <= bounds.min() || rows == 1) {
        return Optional.empty();
      }
      rows = Math.max(bounds.min(), rows / 2);
    }
  }

  private static boolean same(Tensor first, Tensor second) {
    return Arrays.equals(first.shape(), second.shape()) && Objects.deepEquals(first.array(), second.array());
  }

  /** A copy of the request, which binding normalizes in place. */
  private static Map<String, Tensor> copy(Map<String, Tensor> request) {
    Map<String, Tensor> copy = new LinkedHashMap<>();
    request.forEach((name, tensor) -> {
      Object values = Array.newInstance(tensor.array().getClass().getComponentType(), tensor.size());
      System.arraycopy(tensor.array(), 0, values, 0, tensor.size());
      copy.put(name, Tensor.of(tensor.shape().clone(), values));
    });
    return copy;
  }

  private static ConformanceSuite.Case skipped(String name, String reason) {
    return new ConformanceSuite.Case(name, ConformanceSuite.Kind.SKEW, client -> Check.pass(name, "not sent: "
        + reason));
  }
}
