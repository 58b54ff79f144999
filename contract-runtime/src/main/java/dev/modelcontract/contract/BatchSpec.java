package dev.modelcontract.contract;

/**
 * The batch axis: the first axis of every input and output.
 *
 * @param dim the named dim of that axis
 * @param unbatchedRequests whether a request may leave the batch axis out; it is then served as a batch of
 *     one and answered without the batch axis too
 */
public record BatchSpec(String dim, boolean unbatchedRequests) {}
