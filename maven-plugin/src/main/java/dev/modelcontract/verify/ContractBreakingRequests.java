package dev.modelcontract.verify;

import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.enforcement.SampleRequests;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.JsonTensorWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Requests derived from a contract that break it in one way each, with the 4xx the server must answer: a
 * missing input, a wrong feature size, a wrong rank, an unknown input, a non-numeric value, a body that is not
 * JSON, and unsupported media types.
 */
public final class ContractBreakingRequests {

  private static final String JSON = "application/json";

  private ContractBreakingRequests() {}

  public static List<ProbeRequest> of(ModelContract contract) {
    Map<String, FloatTensor> valid = SampleRequests.typical(contract, new Random(7));
    List<ProbeRequest> probes = new ArrayList<>();
    for (InputSpec input : contract.inputs()) {
      String name = input.name();
      Map<String, FloatTensor> missing = new LinkedHashMap<>(valid);
      missing.remove(name);
      probes.add(probe("a request without '" + name + "'", missing, 422, name));

      if (input.shape().last() instanceof Dim.Fixed features) {
        probes.add(probe("'" + name + "' with " + (features.size() + 1) + " features instead of "
            + features.size(), replaced(valid, name, widenLastAxis(valid.get(name))), 422, name));
      }
      probes.add(probe("'" + name + "' with an extra axis (rank " + (input.shape().rank() + 1) + ")",
          replaced(valid, name, valid.get(name).withFirstAxis()), 422, name));
    }
    Map<String, FloatTensor> unknown = new LinkedHashMap<>(valid);
    unknown.put("not_an_input", new FloatTensor(new long[] {1}, new float[] {0f}));
    probes.add(probe("a request with an input the contract does not declare", unknown, 422, "not_an_input"));

    String first = contract.inputs().get(0).name();
    probes.add(new ProbeRequest("'" + first + "' holding a string", JSON, null,
        ("{\"" + first + "\": [[\"high\"]]}").getBytes(StandardCharsets.UTF_8), 400, null));
    probes.add(new ProbeRequest("a body that is not JSON", JSON, null,
        "input_1=1,2,3".getBytes(StandardCharsets.UTF_8), 400, null));
    byte[] body = encode(valid);
    probes.add(new ProbeRequest("a text/csv body", "text/csv", null, body, 415, null));
    probes.add(new ProbeRequest("Accept: text/csv only", JSON, "text/csv", body, 406, null));
    return probes;
  }

  /** The same values with one more feature (a copy of the last) on every row. */
  private static FloatTensor widenLastAxis(FloatTensor tensor) {
    long[] shape = tensor.shape().clone();
    int width = (int) shape[shape.length - 1];
    int rows = tensor.values().length / width;
    float[] values = new float[rows * (width + 1)];
    for (int row = 0; row < rows; row++) {
      System.arraycopy(tensor.values(), row * width, values, row * (width + 1), width);
      values[row * (width + 1) + width] = tensor.values()[row * width + width - 1];
    }
    shape[shape.length - 1] = width + 1;
    return new FloatTensor(shape, values);
  }

  private static Map<String, FloatTensor> replaced(Map<String, FloatTensor> valid, String name, FloatTensor tensor) {
    Map<String, FloatTensor> request = new LinkedHashMap<>(valid);
    request.put(name, tensor);
    return request;
  }

  private static ProbeRequest probe(String name, Map<String, FloatTensor> request, int status, String input) {
    return new ProbeRequest(name, JSON, null, encode(request), status, input);
  }

  static byte[] encode(Map<String, FloatTensor> request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JsonTensorWriter().write(request, out);
    return out.toByteArray();
  }
}
