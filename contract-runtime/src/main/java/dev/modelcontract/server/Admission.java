package dev.modelcontract.server;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.enforcement.BoundRequest;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.tensors.JsonForm;
import dev.modelcontract.tensors.RequestBody;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks every request of a body against the contract on the I/O thread, before any of them waits for the model:
 * a refusal names the value where it sits in the body as sent.
 */
final class Admission {

  private Admission() {}

  static List<BoundRequest> bind(ContractModel model, DecodedBody decoded) throws RequestRefused {
    List<BoundRequest> bound = new ArrayList<>(decoded.parts().size());
    for (DecodedBody.Part part : decoded.parts()) {
      bound.add(bind(model, part.request(), part.where()));
    }
    return bound;
  }

  /** Whether a request in this JSON form can meet the contract at all: batch items need a batch axis. */
  static boolean admits(ModelContract contract, JsonForm form) {
    return form != JsonForm.INSTANCES || contract.batch().isPresent();
  }

  private static BoundRequest bind(ContractModel model, RequestBody request, String where) throws RequestRefused {
    BoundRequest bound;
    try {
      bound = model.bind(request.tensors());
    } catch (ContractViolation e) {
      throw Refusals.violation(e, where, request.envelope());
    }
    boolean batched = model.contract().batch().isPresent();
    if (!admits(model.contract(), request.envelope().form())
        || request.envelope().holdsBatchItems() && bound.unbatched()) {
      throw Refusals.violation(where + "'instances' are batch items, but this request did not bind as a batch",
          null, "/instances", "a contract with a batch axis, and instances without it",
          batched ? "instances of the batch item's shape with one axis fewer" : "a contract without a batch axis");
    }
    model.observe(bound);
    return bound;
  }
}
