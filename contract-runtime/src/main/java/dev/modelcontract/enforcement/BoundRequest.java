package dev.modelcontract.enforcement;

import dev.modelcontract.tensors.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A request that meets the contract.
 *
 * @param inputs every input in contract order, with its batch axis (added for unbatched requests)
 * @param dims the value of each named dim in this request
 * @param unbatched whether the request left the batch axis out, so the response must too
 */
public record BoundRequest(List<Tensor> inputs, Map<String, Long> dims, boolean unbatched) {

  public BoundRequest {
    inputs = List.copyOf(inputs);
    dims = Map.copyOf(dims);
  }
}
