package dev.modelcontract.server;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code GET /execution-parameters} tells a SageMaker batch transform job about this container. A job uses
 * these where it names no value of its own; where it names one, SageMaker tells the container in its environment
 * ({@link BatchTransform}), and this answer repeats it, so that it always says what the server works with.
 *
 * @param maxConcurrentTransforms requests to send at once: the job's; else eight per inference thread (a load at
 *     which dynamic batching pays off, docs/benchmarks.md), no more than the in-flight body budget admits of the
 *     largest bodies nor than SageMaker allows (MaxConcurrentTransforms × MaxPayloadInMB ≤ 100)
 * @param batchStrategy the job's; else {@code SINGLE_RECORD}, safe for every content type (a job that sends
 *     {@code application/jsonlines} or {@code text/csv} split by line may choose {@code MULTI_RECORD} itself)
 * @param maxPayloadInMb the body limit in whole MiB, from 1 to SageMaker's maximum of 100
 */
record ExecutionParameters(int maxConcurrentTransforms, String batchStrategy, long maxPayloadInMb) {

  /** SageMaker's largest MaxPayloadInMB, and its largest MaxConcurrentTransforms × MaxPayloadInMB. */
  private static final long MAX_PAYLOAD_IN_MB = 100;

  /**
   * @param budgetBytes the in-flight body budget, {@link ServerConfig#effectiveInFlightBodyBytes()}
   */
  static ExecutionParameters of(ServerConfig config, long budgetBytes) {
    BatchTransform job = config.batchTransform();
    long payloadInMb = Math.min(MAX_PAYLOAD_IN_MB, Math.max(1, config.maxRequestBytes() / ServerConfig.MIB));
    long largestBodies = budgetBytes / (BodyBudget.BYTES_PER_BODY_BYTE * config.maxRequestBytes());
    long concurrent = job.maxConcurrentTransforms() > 0 ? job.maxConcurrentTransforms()
        : Math.max(1, Math.min(8L * config.workers(), Math.min(MAX_PAYLOAD_IN_MB / payloadInMb, largestBodies)));
    BatchTransform.Strategy strategy = job.strategy() == null ? BatchTransform.Strategy.SINGLE_RECORD
        : job.strategy();
    return new ExecutionParameters((int) concurrent, strategy.name(), payloadInMb);
  }

  /** The JSON Schema of {@link #toJson()}'s answers, for the OpenAPI document. */
  static ObjectNode schema() {
    ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("MaxConcurrentTransforms").put("type", "integer").put("minimum", 1);
    properties.putObject("BatchStrategy").putArray("enum").add(BatchTransform.Strategy.SINGLE_RECORD.name())
        .add(BatchTransform.Strategy.MULTI_RECORD.name());
    properties.putObject("MaxPayloadInMB").put("type", "integer").put("minimum", 1).put("maximum", MAX_PAYLOAD_IN_MB);
    schema.putArray("required").add("MaxConcurrentTransforms").add("BatchStrategy").add("MaxPayloadInMB");
    return schema.put("additionalProperties", false);
  }

  byte[] toJson() {
    return ("{\"MaxConcurrentTransforms\":" + maxConcurrentTransforms + ",\"BatchStrategy\":\"" + batchStrategy
        + "\",\"MaxPayloadInMB\":" + maxPayloadInMb + "}").getBytes(StandardCharsets.UTF_8);
  }
}
