package dev.modelcontract.enforcement;

import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.Tensor;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several bound requests run as one forward pass: their inputs joined along the batch axis, the outputs split back
 * by each request's rows (and without the batch axis for requests that left it out). Only requests of one
 * {@link #signature(BoundRequest) signature} join: every axis but the batch axis, and every named dim but the batch
 * dim, agree.
 */
public final class RequestBatch {

  private final String batchDim;

  /** @throws IllegalArgumentException when the contract declares no batch axis */
  public RequestBatch(ModelContract contract) {
    this.batchDim = contract.batch()
        .orElseThrow(() -> new IllegalArgumentException("a contract without a batch axis cannot batch requests"))
        .dim();
  }

  /**
   * What must agree for requests to share a forward pass: each input's storage and shape after the batch axis.
   * Requests whose signatures are equal join; the result is only for {@code equals}.
   */
  public static List<Object> signature(BoundRequest request) {
    List<Object> signature = new ArrayList<>(request.inputs().size() * 2);
    for (Tensor input : request.inputs()) {
      signature.add(input.array().getClass());
      long[] shape = input.shape();
      signature.add(Arrays.asList(Arrays.stream(shape, 1, shape.length).boxed().toArray()));
    }
    return signature;
  }

  /** The rows a request adds to a batch: its size on the batch axis. */
  public static long rows(BoundRequest request) {
    return request.inputs().get(0).dim(0);
  }

  /** The requests as one, batched, request; all have one signature. */
  public BoundRequest merge(List<BoundRequest> requests) {
    if (requests.size() == 1) {
      return requests.get(0);
    }
    BoundRequest first = requests.get(0);
    List<Tensor> inputs = new ArrayList<>(first.inputs().size());
    for (int i = 0; i < first.inputs().size(); i++) {
      List<Tensor> members = new ArrayList<>(requests.size());
      for (BoundRequest request : requests) {
        members.add(request.inputs().get(i));
      }
      inputs.add(ForwardAssembler.concat(members, 0));
    }
    Map<String, Long> dims = new HashMap<>(first.dims());
    dims.put(batchDim, requests.stream().mapToLong(RequestBatch::rows).sum());
    return new BoundRequest(inputs, dims, false);
  }

  /**
   * Each request's outputs, cut from the outputs of the merged request by its rows, in the order of
   * {@code requests}.
   */
  public static List<Map<String, Tensor>> split(Map<String, Tensor> merged, List<BoundRequest> requests) {
    List<Map<String, Tensor>> responses = new ArrayList<>(requests.size());
    int row = 0;
    for (BoundRequest request : requests) {
      int rows = (int) rows(request);
      Map<String, Tensor> response = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> output : merged.entrySet()) {
        Tensor rowsOf = rowsOf(output.getValue(), row, rows);
        response.put(output.getKey(), request.unbatched() ? rowsOf.withoutFirstAxis() : rowsOf);
      }
      responses.add(response);
      row += rows;
    }
    return responses;
  }

  private static Tensor rowsOf(Tensor tensor, int from, int rows) {
    long[] shape = tensor.shape().clone();
    int perRow = (int) (Tensor.sizeOf(shape) / shape[0]);
    shape[0] = rows;
    Object array = Array.newInstance(tensor.array().getClass().getComponentType(), rows * perRow);
    System.arraycopy(tensor.array(), from * perRow, array, 0, rows * perRow);
    return Tensor.of(shape, array);
  }
}
