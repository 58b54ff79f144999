package dev.modelcontract.server;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

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

  private static final String SINGLE_RECORD = "SINGLE_RECORD";
  /** SageMaker's largest MaxPayloadInMB. */
  private static final long MAX_PAYLOAD_IN_MB = 100;

  static ExecutionParameters of(ServerConfig config) {
    return new ExecutionParameters(8 * config.workers(), SINGLE_RECORD,
        Math.min(MAX_PAYLOAD_IN_MB, Math.max(1, config.maxRequestBytes() / (1024 * 1024))));
  }

  /** The JSON Schema of {@link #toJson()}'s answers, for the OpenAPI document. */
  static ObjectNode schema() {
    ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("MaxConcurrentTransforms").put("type", "integer").put("minimum", 1);
    properties.putObject("BatchStrategy").put("const", SINGLE_RECORD);
    properties.putObject("MaxPayloadInMB").put("type", "integer").put("minimum", 1).put("maximum", MAX_PAYLOAD_IN_MB);
    schema.putArray("required").add("MaxConcurrentTransforms").add("BatchStrategy").add("MaxPayloadInMB");
    return schema.put("additionalProperties", false);
  }

  byte[] toJson() {
    return ("{\"MaxConcurrentTransforms\":" + maxConcurrentTransforms + ",\"BatchStrategy\":\"" + batchStrategy
        + "\",\"MaxPayloadInMB\":" + maxPayloadInMb + "}").getBytes(StandardCharsets.UTF_8);
  }
}
