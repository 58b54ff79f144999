package dev.modelcontract.server;

import static dev.modelcontract.hosting.EnvironmentVariable.SAGEMAKER_BATCH;
import static dev.modelcontract.hosting.EnvironmentVariable.SAGEMAKER_BATCH_STRATEGY;
import static dev.modelcontract.hosting.EnvironmentVariable.SAGEMAKER_MAX_CONCURRENT_TRANSFORMS;

import java.util.Locale;
import java.util.Map;

/**
 * What a SageMaker batch transform job told the container about itself (docs/configuration.md#batch-transform).
 * The job's own values win over what {@code GET /execution-parameters} offers; the job's MaxPayloadInMB goes into
 * the body limit ({@link ServerConfig#fromEnvironment}).
 *
 * @param job whether the container runs in a batch transform job ({@code SAGEMAKER_BATCH=true})
 * @param strategy the job's BatchStrategy; null where it named none (then it takes the one offered)
 * @param maxConcurrentTransforms the job's MaxConcurrentTransforms; 0 where it named none
 */
public record BatchTransform(boolean job, Strategy strategy, int maxConcurrentTransforms) {

  /** SageMaker's BatchStrategy, spelled as its environment variable spells it. */
  public enum Strategy {
    /** One record per body: answered like any request. */
    SINGLE_RECORD,
    /** As many records (lines, with SplitType=Line) per body as fit in MaxPayloadInMB: answered one line each. */
    MULTI_RECORD
  }

  /** Not in a batch transform job. */
  public static final BatchTransform NONE = new BatchTransform(false, null, 0);

  /** Whether each line of a CSV body is a record of its own, answered with a line of its own. */
  public boolean multiRecord() {
    return strategy == Strategy.MULTI_RECORD;
  }

  static BatchTransform fromEnvironment(Map<String, String> env) {
    String batch = SAGEMAKER_BATCH.in(env);
    boolean job = batch != null && batch.strip().equalsIgnoreCase("true");
    return new BatchTransform(job, strategy(env), ServerConfig.countOf(env, SAGEMAKER_MAX_CONCURRENT_TRANSFORMS));
  }

  private static Strategy strategy(Map<String, String> env) {
    String value = SAGEMAKER_BATCH_STRATEGY.in(env);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Strategy.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(SAGEMAKER_BATCH_STRATEGY + " must be SINGLE_RECORD or MULTI_RECORD, but is '"
          + value + "'", e);
    }
  }
}
