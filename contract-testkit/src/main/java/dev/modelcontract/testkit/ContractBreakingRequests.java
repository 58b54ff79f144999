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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Requests derived from a contract that break it in one way each, with the 4xx the server must answer: a
 * missing required input, a wrong feature size, a wrong rank, each kind of value the input's dtype refuses, a value
 * on either side of the input's range, NaN where the input allows none, two inputs disagreeing on a named dim, an
 * unknown input, a body that is not JSON, a body over the size limit, and unsupported media types.
 */
public final class ContractBreakingRequests {

  private static final String JSON = "application/json";

  private ContractBreakingRequests() {}

  public static List<ProbeRequest> of(ModelContract contract) {
    Map<String, Tensor> valid = SampleRequests.typical(contract, new Random(7));
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
    Map<String, String> firstUser = new HashMap<>();
    for (InputSpec input : contract.inputs()) {
      if (!valid.containsKey(input.name())) {
        continue;
      }
      for (int axis = 0; axis < input.shape().rank(); axis++) {
        if (!(input.shape().dim(axis) instanceof Dim.Named named) || named.name().equals(batch)) {
          continue;
        }
        String first = firstUser.putIfAbsent(named.name(), input.name());
        if (first == null) {
          continue;
        }
        Tensor tensor = valid.get(input.name());
        long size = tensor.shape()[axis];
        DimSpec bounds = contract.dim(named.name());
        long other = size + 1 <= bounds.max() ? size + 1 : size - 1;
        if (other < bounds.min()) {
          continue;
        }
        long[] shape = tensor.shape().clone();
        shape[axis] = other;
        Object values = Array.newInstance(tensor.array().getClass().getComponentType(),
            Math.toIntExact(Tensor.sizeOf(shape)));
        return Optional.of(probe("'" + input.name() + "' with " + named.name() + " = " + other + " where '" + first
            + "' has " + size, replaced(valid, input.name(), Tensor.of(shape, values)), ProblemType.CONTRACT_VIOLATION, input.name()));
      }
    }
    return Optional.empty();
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
