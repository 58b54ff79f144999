package dev.modelcontract.tensors;

import java.util.Map;

/**
 * One request decoded from a body of any media type: its named tensors and the envelope they came in.
 *
 * @param tensors the request's tensors by name, in body order
 * @param envelope how they were wrapped: where a value sits in the body as sent, how the JSON answer is wrapped
 */
public record RequestBody(Map<String, Tensor> tensors, Envelope envelope) {

  /** Named tensors in no envelope, as binary formats and the plain JSON object carry them. */
  public static RequestBody named(Map<String, Tensor> tensors) {
    return new RequestBody(tensors, Envelope.NAMED);
  }
}
