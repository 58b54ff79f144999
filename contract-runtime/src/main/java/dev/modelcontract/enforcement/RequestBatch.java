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

  /** What must agree for requests to share a forward pass: each input's storage and shape after the batch axis. */
  public static Signature signature(BoundRequest request) {
    List<Tensor> inputs = request.inputs();
    Class<?>[] storages = new Class<?>[inputs.size()];
    int length = 0;
    for (Tensor input : inputs) {
      length += input.rank();
    }
    long[] dims = new long[length];
    int at = 0;
    for (int i = 0; i < storages.length; i++) {
      Tensor input = inputs.get(i);
      storages[i] = input.array().getClass();
      long[] shape = input.shape();
      dims[at++] = shape.length; // the rank where the batch size would be: shapes of other ranks never agree
      System.arraycopy(shape, 1, dims, at, shape.length - 1);
      at += shape.length - 1;
    }
    return new Signature(storages, dims);
  }

  /** Each input's storage and shape after the batch axis; only for {@code equals}. */
  public static final class Signature {
    private final Class<?>[] storages;
    private final long[] dims;

    private Signature(Class<?>[] storages, long[] dims) {
      this.storages = storages;
      this.dims = dims;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Signature that && Arrays.equals(storages, that.storages)
          && Arrays.equals(dims, that.dims);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(storages) + Arrays.hashCode(dims);
    }
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
