package dev.modelcontract.server;

import java.nio.charset.StandardCharsets;

/**
 * What {@code GET /execution-parameters} tells a SageMaker batch transform job about this container.
 *
 * @param maxConcurrentTransforms requests to send at once: eight per inference thread, a load at which dynamic
 *     batching pays off (docs/benchmarks.md)
 * @param batchStrategy {@code SINGLE_RECORD}: safe for every content type; a job that sends
 *     {@code application/jsonlines} may choose {@code MULTI_RECORD} itself (records joined by newlines)
 * @param maxPayloadInMb the body limit in whole MiB, from 1 to SageMaker's maximum of 100
 */
record ExecutionParameters(int maxConcurrentTransforms, String batchStrategy, long maxPayloadInMb) {

  static ExecutionParameters of(ServerConfig config) {
    return new ExecutionParameters(8 * config.workers(), "SINGLE_RECORD",
        Math.min(100, Math.max(1, config.maxRequestBytes() / (1024 * 1024))));
  }

  byte[] toJson() {
    return ("{\"MaxConcurrentTransforms\":" + maxConcurrentTransforms + ",\"BatchStrategy\":\"" + batchStrategy
        + "\",\"MaxPayloadInMB\":" + maxPayloadInMb + "}").getBytes(StandardCharsets.UTF_8);
  }
}
