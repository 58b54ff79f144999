package dev.modelcontract.enforcement;

import dev.modelcontract.tensors.Tensor;
import java.util.Map;

/**
 * What answers a request in place of the model, where there is none: a consumer stub. It gets each request after
 * the contract has checked and normalized it, exactly as the model would, and answers the contract's outputs by
 * name.
 */
@FunctionalInterface
public interface ModelStandIn {

  Map<String, Tensor> answer(BoundRequest request);
}
