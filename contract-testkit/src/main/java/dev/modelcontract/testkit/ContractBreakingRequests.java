package dev.modelcontract.testkit;

import dev.modelcontract.contract.BatchSpec;
import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.ValueRange;
import dev.modelcontract.hosting.SageMakerHosting;
import dev.modelcontract.server.ProblemType;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.SampleRequests;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Requests derived from a contract that break it in one way each, with the 4xx the server must answer: a
 * missing required input, a wrong feature size, a wrong rank, each kind of value the input's dtype refuses, a value
 * on either side of the input's range, NaN where the input allows none, two inputs disagreeing on a named dim or on
 * the batch size, each bounded dim one over its max (and one under its min, where that is above 1), an unknown
 * input, a body that is not JSON, a body over the size limit, and unsupported media types.
 *
 * <p>A dim beyond its bounds is probed only where the request's JSON body stays within the body limit
 * ({@link SageMakerHosting#MAX_BODY_BYTES}): past it the endpoint answers 413 before it reads a dim, so such a
 * probe is left out and listed by {@link #unsent}.
 */
public final class ContractBreakingRequests {

  private static final String JSON = "application/json";

  /**
   * A request of the kinds above that is not sent, and why.
   *
   * @param name what the request would do wrong
   * @param reason why it is not sent
   */
  public record Unsent(String name, String reason) {}

  private ContractBreakingRequests() {}

  /** The requests to send, in the order a suite sends them. */
  public static List<ProbeRequest> of(ModelContract contract) {
    Map<String, Tensor> valid = valid(contract);
    List<ProbeRequest> probes = new ArrayList<>();
    for (InputSpec input : contract.inputs()) {
      String name = input.name();
      Tensor tensor = valid.get(name);
      if (tensor == null) {
        // optional: omitting it is allowed; sending it must still meet the contract
        tensor = SampleRequests.valueOf(contract, input, SampleRequests.Sizes.TYPICAL, new Random(7));
      } else {
        Map<String, Tensor> missing = new LinkedHashMap<>(valid);
        missing.remove(name);
        probes.add(probe("a request without '" + name + "'", missing, ProblemType.CONTRACT_VIOLATION, name));
      }
      if (input.shape().last() instanceof Dim.Fixed features) {
        probes.add(probe("'" + name + "' with " + (features.size() + 1) + " values on its last axis instead of "
            + features.size(), replaced(valid, name, widenLastAxis(tensor)), ProblemType.CONTRACT_VIOLATION, name));
      }
      probes.add(probe("'" + name + "' with an extra axis (rank " + (input.shape().rank() + 1) + ")",
          replaced(valid, name, tensor.withFirstAxis()), ProblemType.CONTRACT_VIOLATION, name));
      for (RefusedValues refused : RefusedValues.of(input.dtype(), tensor.shape())) {
        probes.add(probe("'" + name + "' holding " + refused.description() + " (" + input.dtype() + ")",
            replaced(valid, name, refused.tensor()), ProblemType.CONTRACT_VIOLATION, name));
      }
      for (ProbeRequest outside : outsideRange(input, valid, tensor)) {
        probes.add(outside);
      }
      if (input.dtype().isFloat() && !input.allowNonFinite()) {
        Tensor withNan = withFirst(tensor, Double.NaN);
        probes.add(new ProbeRequest("'" + name + "' holding NaN, which it does not allow", JSON, null,
            encode(replaced(valid, name, withNan), JsonTensorWriter.withNonFiniteTokens()), ProblemType.CONTRACT_VIOLATION, name));
      }
    }
    disagreeingDim(contract, valid).ifPresent(probes::add);
    disagreeingBatch(contract, valid).ifPresent(probes::add);
    outOfBounds(contract, valid, probes, new ArrayList<>());
    String stranger = "not_an_input";
    while (contract.input(stranger).isPresent()) {
      stranger += "_";
    }
    Map<String, Tensor> unknown = new LinkedHashMap<>(valid);
    unknown.put(stranger, new DoubleTensor(new long[] {1}, new double[] {0}));
    probes.add(probe("a request with an input the contract does not declare", unknown, ProblemType.CONTRACT_VIOLATION, stranger));
    probes.add(new ProbeRequest("a body that is not JSON", JSON, null,
        "input_1=1,2,3".getBytes(StandardCharsets.UTF_8), ProblemType.MALFORMED_BODY, null));
    byte[] body = encode(valid);
    // SageMaker's limit is the image's default: a body one byte over it is refused with 413.
    byte[] oversized = new byte[SageMakerHosting.MAX_BODY_BYTES + 1];
    Arrays.fill(oversized, (byte) ' ');
    oversized[0] = '{';
    oversized[oversized.length - 1] = '}';
    probes.add(new ProbeRequest("a body one byte over " + SageMakerHosting.MAX_BODY_BYTES + " bytes", JSON, null,
        oversized, ProblemType.PAYLOAD_TOO_LARGE, null));
    probes.add(new ProbeRequest("an application/xml body", "application/xml", null, body,
        ProblemType.UNSUPPORTED_MEDIA_TYPE, null));
    probes.add(new ProbeRequest("Accept: text/csv only", JSON, "text/csv", body, ProblemType.NOT_ACCEPTABLE, null));
    return probes;
  }

  /** The dim probes left out: those whose JSON body would be over the body limit. */
  public static List<Unsent> unsent(ModelContract contract) {
    List<Unsent> unsent = new ArrayList<>();
    outOfBounds(contract, valid(contract), new ArrayList<>(), unsent);
    return unsent;
  }

  private static Map<String, Tensor> valid(ModelContract contract) {
    return SampleRequests.typical(contract, new Random(7));
  }

  /**
   * For each named dim of the inputs sent, in the order the inputs' shapes name them: the dim one over its max, where
   * it has one, and one under its min, where that is above 1, on every input that has it (so that they agree): the
   * server must name the first of them. A probe whose body would pass the body limit goes to {@code unsent} instead.
   */
  private static void outOfBounds(ModelContract contract, Map<String, Tensor> valid, List<ProbeRequest> probes,
      List<Unsent> unsent) {
    List<InputSpec> sent = contract.inputs().stream().filter(input -> valid.containsKey(input.name())).toList();
    Set<String> named = new LinkedHashSet<>();
    sent.forEach(input -> input.shape().dims().forEach(dim -> {
      if (dim instanceof Dim.Named name) {
        named.add(name.name());
      }
    }));
    for (String dimName : named) {
      DimSpec dim = contract.dim(dimName);
      List<InputSpec> users = sent.stream().filter(input -> input.shape().dims().contains(new Dim.Named(dimName)))
          .toList();
      String on = names(users);
      if (dim.max() != Long.MAX_VALUE) {
        outOfBounds(valid, users, dim.name(), dim.max() + 1, on + " with " + dim.name() + " = " + (dim.max() + 1)
            + ", one over its max (" + dim.describeBounds() + ")", probes, unsent);
      }
      if (dim.min() > 1) {
        outOfBounds(valid, users, dim.name(), dim.min() - 1, on + " with " + dim.name() + " = " + (dim.min() - 1)
            + ", one under its min (" + dim.describeBounds() + ")", probes, unsent);
      }
    }
  }

  private static void outOfBounds(Map<String, Tensor> valid, List<InputSpec> users, String dim, long size,
      String name, List<ProbeRequest> probes, List<Unsent> unsent) {
    Map<String, long[]> resized = new LinkedHashMap<>();
    for (InputSpec user : users) {
      long[] shape = valid.get(user.name()).shape().clone();
      for (int axis = 0; axis < shape.length; axis++) {
        if (user.shape().dim(axis).equals(new Dim.Named(dim))) {
          shape[axis] = size;
        }
      }
      resized.put(user.name(), shape);
    }
    long values = 0;
    for (Map.Entry<String, Tensor> input : valid.entrySet()) {
      long count = Tensor.saturatedSizeOf(resized.getOrDefault(input.getKey(), input.getValue().shape()));
      values = count > Long.MAX_VALUE - values ? Long.MAX_VALUE : values + count;
    }
    String limit = ", over the body limit of " + SageMakerHosting.MAX_BODY_BYTES
        + " bytes: it would be answered 413 before its dims are read";
    // a JSON value takes two bytes at least (a digit and a separator): a request that cannot fit is not built
    if (values > SageMakerHosting.MAX_BODY_BYTES / 2) {
      unsent.add(new Unsent(name, "its JSON body would hold " + values + " values" + limit));
      return;
    }
    Map<String, Tensor> request = new LinkedHashMap<>(valid);
    Random random = new Random(7);
    for (InputSpec user : users) {
      request.put(user.name(), SampleRequests.valueOf(user, resized.get(user.name()), random));
    }
    byte[] body = encode(request);
    if (body.length > SageMakerHosting.MAX_BODY_BYTES) {
      unsent.add(new Unsent(name, "its JSON body would be " + body.length + " bytes" + limit));
      return;
    }
    probes.add(new ProbeRequest(name, JSON, null, body, ProblemType.CONTRACT_VIOLATION, users.get(0).name()));
  }

  /** {@code 'a'}, {@code 'a' and 'b'}, {@code 'a', 'b' and 'c'}. */
  private static String names(List<InputSpec> inputs) {
    List<String> quoted = inputs.stream().map(input -> "'" + input.name() + "'").toList();
    return quoted.size() == 1 ? quoted.get(0)
        : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " and " + quoted.get(quoted.size() - 1);
  }

  /**
   * Where the contract has a batch axis and two inputs are sent: the second with one more item (or one fewer) than
   * the first. The server must name the second.
   */
  private static Optional<ProbeRequest> disagreeingBatch(ModelContract contract, Map<String, Tensor> valid) {
    if (contract.batch().isEmpty()) {
      return Optional.empty();
    }
    List<InputSpec> sent = contract.inputs().stream().filter(input -> valid.containsKey(input.name())).toList();
    if (sent.size() < 2) {
      return Optional.empty();
    }
    DimSpec batch = contract.dim(contract.batch().get().dim());
    return disagreeing(batch, sent.get(0), sent.get(1), 0, valid);
  }

  /**
   * Where the input has a range: a value just below its minimum and one just above its maximum (each where the
   * dtype holds it), first in an otherwise valid request.
   */
  private static List<ProbeRequest> outsideRange(InputSpec input, Map<String, Tensor> valid, Tensor tensor) {
    List<ProbeRequest> probes = new ArrayList<>();
    if (input.range().isEmpty()) {
      return probes;
    }
    ValueRange range = input.range().get();
    DType dtype = input.dtype();
    double[][] outside = {{range.min(), -1}, {range.max(), 1}};
    for (double[] bound : outside) {
      if (Double.isInfinite(bound[0])) {
        continue;
      }
      double step = dtype.kind() == DType.Kind.INTEGER ? 1 : Math.max(1, Math.abs(bound[0]));
      double value = bound[0] + bound[1] * step;
      if (value < dtype.min() || value > dtype.max()) {
        continue;
      }
      String shown = ValueRange.format(value);
      probes.add(probe("'" + input.name() + "' with the value " + shown + ", " + (bound[1] < 0 ? "below" : "above")
          + " its range (" + range.describe() + ")", replaced(valid, input.name(), withFirst(tensor, value)), ProblemType.CONTRACT_VIOLATION, input.name()));
    }
    return probes;
  }

  /**
   * Two inputs that share a named dim (other than the batch axis), the second given one more (or one fewer) along
   * it than the first: the server must name the second.
   */
  private static Optional<ProbeRequest> disagreeingDim(ModelContract contract, Map<String, Tensor> valid) {
    String batch = contract.batch().map(BatchSpec::dim).orElse(null);
    Map<String, InputSpec> firstUser = new HashMap<>();
    for (InputSpec input : contract.inputs()) {
      if (!valid.containsKey(input.name())) {
        continue;
      }
      for (int axis = 0; axis < input.shape().rank(); axis++) {
        if (!(input.shape().dim(axis) instanceof Dim.Named named) || named.name().equals(batch)) {
          continue;
        }
        InputSpec first = firstUser.putIfAbsent(named.name(), input);
        if (first == null) {
          continue;
        }
        Optional<ProbeRequest> probe = disagreeing(contract.dim(named.name()), first, input, axis, valid);
        if (probe.isPresent()) {
          return probe;
        }
      }
    }
    return Optional.empty();
  }

  /** {@code second} with one more (or one fewer) along {@code dim}, on its {@code axis}, than {@code first} has. */
  private static Optional<ProbeRequest> disagreeing(DimSpec dim, InputSpec first, InputSpec second, int axis,
      Map<String, Tensor> valid) {
    Tensor tensor = valid.get(second.name());
    long size = tensor.shape()[axis];
    long other = size + 1 <= dim.max() ? size + 1 : size - 1;
    if (other < dim.min()) {
      return Optional.empty();
    }
    long[] shape = tensor.shape().clone();
    shape[axis] = other;
    return Optional.of(probe("'" + second.name() + "' with " + dim.name() + " = " + other + " where '" + first.name()
        + "' has " + size, replaced(valid, second.name(), SampleRequests.valueOf(second, shape, new Random(7))),
        ProblemType.CONTRACT_VIOLATION, second.name()));
  }

  /** A copy of a numeric tensor with its first value replaced, in the tensor's own storage. */
  private static Tensor withFirst(Tensor tensor, double value) {
    Object values = Array.newInstance(tensor.array().getClass().getComponentType(), tensor.size());
    System.arraycopy(tensor.array(), 0, values, 0, tensor.size());
    Array.set(values, 0, values instanceof long[] ? (Object) (long) value
        : values instanceof float[] ? (Object) (float) value : (Object) value);
    return Tensor.of(tensor.shape(), values);
  }


  /** The same values with one more element (a copy of the last) on every row of the last axis. */
  private static Tensor widenLastAxis(Tensor tensor) {
    long[] shape = tensor.shape().clone();
    int width = (int) shape[shape.length - 1];
    int rows = tensor.size() / width;
    Object source = tensor.array();
    Object values = Array.newInstance(source.getClass().getComponentType(), rows * (width + 1));
    for (int row = 0; row < rows; row++) {
      System.arraycopy(source, row * width, values, row * (width + 1), width);
      System.arraycopy(source, row * width + width - 1, values, row * (width + 1) + width, 1);
    }
    shape[shape.length - 1] = width + 1;
    return Tensor.of(shape, values);
  }

  private static Map<String, Tensor> replaced(Map<String, Tensor> valid, String name, Tensor tensor) {
    Map<String, Tensor> request = new LinkedHashMap<>(valid);
    request.put(name, tensor);
    return request;
  }

  private static ProbeRequest probe(String name, Map<String, Tensor> request, ProblemType problem,
      String input) {
    return new ProbeRequest(name, JSON, null, encode(request), problem, input);
  }

  /** A request as a JSON body, NaN and infinities written as strings. */
  static byte[] encode(Map<String, Tensor> request) {
    return encode(request, new JsonTensorWriter());
  }

  private static byte[] encode(Map<String, Tensor> request, JsonTensorWriter writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(request, out);
    return out.toByteArray();
  }
}
