package dev.modelcontract.testkit;

import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.OutputSpec;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.server.OpenApiDocument;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import dev.modelcontract.validation.Check;
import dev.modelcontract.validation.GoldenReplay;
import dev.modelcontract.validation.SampleRequests;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.JacksonException;

/**
 * The requests a server of a contract must answer, and how: every golden pair within tolerance; seeded valid
 * requests at the minimum, typical and maximum of every bounded dim, in every request format the contract allows,
 * answered with the declared outputs in the shapes the request's dims give them, finite, fitting the OpenAPI
 * response schema; one contract-breaking request
 * per kind of violation, refused with its 4xx problem naming the input, never a 5xx (a dim probe whose body would
 * pass the body limit is listed as skipped, not sent: see {@link ContractBreakingRequests}); the mistakes only the
 * contract's training statistics show (already normalized, swapped features, another unit), refused 422 input-skew
 * where the contract guards the input and shown on GET /metrics where it does not (see {@link SkewCases}); and the
 * server still serving afterwards. Runs against any endpoint: a real image, a stub, a deployed endpoint behind a
 * proxy.
 */
public final class ConformanceSuite {

  /**
   * What a case checks: a golden pair, a valid request, a contract-breaking request, or a skewed request (one that
   * meets the contract's shapes and types but not its training statistics).
   */
  public enum Kind { GOLDEN, VALID, REFUSAL, SKEW }

  /**
   * One request of the suite and what it must get.
   *
   * @param name what the case checks, as reports name it
   * @param kind what kind of case it is
   * @param check sends the request and judges the answer
   */
  public record Case(String name, Kind kind, Function<ContractClient, Check> check) {

    /** Sends the request: a failed check, never an exception, where the answer is wrong or missing. */
    public Check run(ContractClient client) {
      try {
        return check.apply(client);
      } catch (UncheckedIOException e) {
        return Check.fail(name, "the request failed: " + e.getMessage());
      }
    }
  }

  /** The system property that sets the seed of the valid requests (the plugin's verify goal, the extension). */
  public static final String SEED_PROPERTY = "modelcontract.verify.seed";

  private final ModelContract contract;
  private final List<GoldenCase> golden;
  private final double tolerance;
  private final long seed;
  private final OpenApiDocument openApi;

  private ConformanceSuite(ModelContract contract, List<GoldenCase> golden, double tolerance, long seed) {
    this.contract = contract;
    this.golden = List.copyOf(golden);
    this.tolerance = tolerance;
    this.seed = seed;
    this.openApi = OpenApiDocument.of(contract);
  }

  /** The suite of a contract without golden pairs, with the default tolerance and seed 0. */
  public static ConformanceSuite of(ModelContract contract) {
    return new ConformanceSuite(contract, List.of(), GoldenReplay.DEFAULT_TOLERANCE, 0);
  }

  /** The same suite replaying these golden pairs first. */
  public ConformanceSuite withGolden(List<GoldenCase> pairs) {
    return new ConformanceSuite(contract, pairs, tolerance, seed);
  }

  /** The same suite comparing golden outputs within this tolerance, relative to {@code 1 + |expected|}. */
  public ConformanceSuite withTolerance(double allowed) {
    return new ConformanceSuite(contract, golden, allowed, seed);
  }

  /** The same suite drawing its valid requests with this seed. */
  public ConformanceSuite withSeed(long chosen) {
    return new ConformanceSuite(contract, golden, tolerance, chosen);
  }

  public ModelContract contract() {
    return contract;
  }

  public long seed() {
    return seed;
  }

  /** A new seed, for a run that was given none. */
  public static long newSeed() {
    return new SecureRandom().nextLong() & Long.MAX_VALUE;
  }

  /** How a run names its seed, printed so that a failure can be repeated. */
  public String seedLine() {
    return "valid requests drawn with seed " + seed + " (-D" + SEED_PROPERTY + "=" + seed + " repeats them)";
  }

  /** Every case, in the order they run. */
  public List<Case> cases() {
    List<Case> cases = new ArrayList<>(goldenPairs());
    for (RequestFormat format : RequestFormat.values()) {
      if (!format.carries(contract)) {
        continue;
      }
      for (SampleRequests.Sizes sizes : SampleRequests.Sizes.values()) {
        String name = "answers a valid " + format.mediaType() + " request at the "
            + sizes.name().toLowerCase(Locale.ROOT) + " sizes (seed " + seed + ")";
        cases.add(new Case(name, Kind.VALID, client -> answer(client, name, format, sizes)));
      }
    }
    for (ProbeRequest probe : ContractBreakingRequests.of(contract)) {
      String name = "refuses " + probe.name() + " with " + probe.status();
      cases.add(new Case(name, Kind.REFUSAL, client -> refuse(client, name, probe)));
    }
    for (ContractBreakingRequests.Unsent unsent : ContractBreakingRequests.unsent(contract)) {
      String name = "skips " + unsent.name();
      cases.add(new Case(name, Kind.REFUSAL, client -> Check.pass(name, "not sent: " + unsent.reason())));
    }
    cases.addAll(SkewCases.of(contract, seed));
    String again = "still serving after the refused requests";
    if (golden.isEmpty()) {
      cases.add(new Case(again, Kind.VALID, client -> answer(client, again, RequestFormat.JSON,
          SampleRequests.Sizes.TYPICAL)));
    } else {
      cases.add(new Case(again + ": " + golden.get(0).name(), Kind.GOLDEN, client -> replay(client,
          again + ": " + golden.get(0).name(), golden.get(0))));
    }
    return cases;
  }

  /**
   * The golden cases alone, each pair once: what a server must still answer the same after its model is reloaded
   * (a multi-model endpoint's unload and load).
   */
  public List<Case> goldenPairs() {
    return golden.stream().map(pair -> {
      String name = GoldenReplay.checkName(pair);
      return new Case(name, Kind.GOLDEN, client -> replay(client, name, pair));
    }).toList();
  }

  /** Runs every case against a server, in order. */
  public List<Check> run(ContractClient client) {
    return cases().stream().map(suiteCase -> suiteCase.run(client)).toList();
  }

  /** A golden pair: the answer within tolerance, output by output, fitting the OpenAPI response schema. */
  private Check replay(ContractClient client, String name, GoldenCase pair) {
    long started = System.nanoTime();
    Answer answer = client.send(RequestFormat.JSON.mediaType(), null, pair.requestBody());
    double millis = (System.nanoTime() - started) / 1e6;
    if (answer.status() != 200) {
      return Check.fail(name, "status " + answer.status() + ": " + answer.text());
    }
    List<String> unfit = openApi.responseProblems(answer.json());
    if (!unfit.isEmpty()) {
      return Check.fail(name, "the answer does not fit the OpenAPI response schema: " + String.join("; ", unfit));
    }
    try {
      return GoldenReplay.result(name, pair, answer.outputs(contract), tolerance, millis);
    } catch (TensorFormatException e) {
      return Check.fail(name, "the response is not a set of named tensors: " + e.getMessage());
    }
  }

  /**
   * A request the contract accepts, drawn with the seed from the contract alone at the minimum, typical or maximum
   * size of every bounded dim: answered 200 with every declared output, every value finite, fitting the OpenAPI
   * response schema.
   */
  private Check answer(ContractClient client, String name, RequestFormat format, SampleRequests.Sizes sizes) {
    Map<String, Tensor> request = SampleRequests.of(contract, sizes, new Random(seed));
    Answer answer = client.send(format.mediaType(), null, format.encode(request));
    if (answer.status() != 200) {
      return Check.fail(name, "status " + answer.status() + " for inputs " + shapes(request) + ": " + answer.text());
    }
    List<String> unfit = openApi.responseProblems(answer.json());
    if (!unfit.isEmpty()) {
      return Check.fail(name, "the answer does not fit the OpenAPI response schema: " + String.join("; ", unfit));
    }
    try {
      Map<String, Tensor> outputs = answer.outputs(contract);
      for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
        if (!finite(output.getValue())) {
          return Check.fail(name, "output '" + output.getKey() + "' holds NaN or an infinity for inputs "
              + shapes(request));
        }
      }
      for (OutputSpec spec : contract.outputs()) {
        long[] expected = answeredShape(spec, sizes);
        long[] actual = outputs.get(spec.name()).shape();
        if (!sameShape(expected, actual)) {
          return Check.fail(name, "output '" + spec.name() + "' has shape " + Arrays.toString(actual) + " for inputs "
              + shapes(request) + ", where the contract's " + spec.shape() + " gives " + Arrays.toString(expected));
        }
      }
      return Check.pass(name, "inputs " + shapes(request) + " -> outputs " + shapes(outputs));
    } catch (TensorFormatException e) {
      return Check.fail(name, "the response is not a set of named tensors: " + e.getMessage());
    }
  }

  /**
   * The shape an output is answered in for a request drawn at these sizes: its declared shape with each named dim at
   * the size the request gave it (-1, any size, for a dim no input has), the label axis gone where the output is
   * answered as labels.
   */
  private long[] answeredShape(OutputSpec spec, SampleRequests.Sizes sizes) {
    Set<String> requestDims = new HashSet<>();
    contract.inputs().forEach(input -> input.shape().dims().forEach(dim -> {
      if (dim instanceof Dim.Named named) {
        requestDims.add(named.name());
      }
    }));
    int rank = spec.shape().rank() - (spec.labels().isEmpty() ? 0 : 1);
    long[] shape = new long[rank];
    for (int axis = 0; axis < rank; axis++) {
      Dim dim = spec.shape().dim(axis);
      shape[axis] = dim instanceof Dim.Named named && !requestDims.contains(named.name()) ? -1
          : SampleRequests.size(contract, dim, sizes);
    }
    return shape;
  }

  private static boolean sameShape(long[] expected, long[] actual) {
    if (expected.length != actual.length) {
      return false;
    }
    for (int axis = 0; axis < expected.length; axis++) {
      if (expected[axis] != -1 && expected[axis] != actual[axis]) {
        return false;
      }
    }
    return true;
  }

  /** A contract-breaking request: its status, a problem+json body, naming the input where one is at fault. */
  private static Check refuse(ContractClient client, String name, ProbeRequest probe) {
    Answer answer = client.send(probe.contentType(), probe.accept(), probe.body());
    if (answer.status() != probe.status()) {
      return Check.fail(name, "got status " + answer.status() + ": " + answer.text());
    }
    if (!answer.isProblem()) {
      return Check.fail(name, "got Content-Type '" + answer.contentType() + "', expected application/problem+json");
    }
    if (!probe.problem().slug().equals(answer.problemType())) {
      return Check.fail(name, "got a problem of type '" + answer.problemType() + "', expected '"
          + probe.problem().slug() + "': " + answer.text());
    }
    try {
      String input = answer.problem().path("input").asString(null);
      if (probe.input() != null && !probe.input().equals(input)) {
        return Check.fail(name, "the problem does not name the input '" + probe.input() + "': " + answer.text());
      }
      return Check.pass(name, answer.problem().path("detail").asString(""));
    } catch (JacksonException e) {
      return Check.fail(name, "the problem body is not JSON: " + e.getOriginalMessage());
    }
  }

  private static boolean finite(Tensor tensor) {
    if (tensor.array() instanceof float[] values) {
      for (float value : values) {
        if (!Float.isFinite(value)) {
          return false;
        }
      }
    } else if (tensor.array() instanceof double[] values) {
      for (double value : values) {
        if (!Double.isFinite(value)) {
          return false;
        }
      }
    }
    return true;
  }

  private static String shapes(Map<String, Tensor> tensors) {
    StringBuilder text = new StringBuilder();
    tensors.forEach((tensorName, tensor) -> text.append(text.length() == 0 ? "" : ", ").append(tensorName)
        .append(Arrays.toString(tensor.shape())));
    return text.toString();
  }
}
