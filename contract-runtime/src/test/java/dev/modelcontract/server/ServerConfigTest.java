package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  @Test
  void emptyEnvironmentGivesSageMakerDefaults() {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of());

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.modelDirectory()).isEqualTo(Path.of("/opt/ml/model"));
    assertThat(config.maxRequestBytes()).isEqualTo(6L * 1024 * 1024);
    assertThat(config.workers()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
  }

  @Test
  void ioThreadsTakeTheProcessorsTheWorkersLeaveAndAtLeastOne() {
    int processors = Runtime.getRuntime().availableProcessors();

    Path model = Path.of("/opt/ml/model");

    assertThat(new ServerConfig(8080, model, 1, 1).effectiveIoThreads()).isEqualTo(Math.max(1, processors - 1));
    assertThat(new ServerConfig(8080, model, 1, processors).effectiveIoThreads()).isEqualTo(1);
    assertThat(new ServerConfig(8080, model, 1, processors + 4).effectiveIoThreads()).isEqualTo(1);
    assertThat(ServerConfig.fromEnvironment(Map.of("MODEL_CONTRACT_IO_THREADS", "3")).effectiveIoThreads())
        .isEqualTo(3);
  }

  @Test
  void environmentOverridesEveryField() {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of(
        "SAGEMAKER_BIND_TO_PORT", "9090",
        "MODEL_CONTRACT_MODEL_DIR", "/models/lstm",
        "MODEL_CONTRACT_MAX_REQUEST_BYTES", " 1048576 ",
        "SAGEMAKER_MODEL_SERVER_WORKERS", "3"));

    assertThat(config).isEqualTo(new ServerConfig(9090, Path.of("/models/lstm"), 1048576, 3));
  }

  @Test
  void aModelKServePutInMntModelsIsServedUnlessTheModelDirectoryIsNamed() {
    Path kserveContract = Path.of("/mnt/models/model-contract.yaml");

    assertThat(ServerConfig.fromEnvironment(Map.of(), kserveContract::equals).modelDirectory())
        .isEqualTo(Path.of("/mnt/models"));
    assertThat(ServerConfig.fromEnvironment(Map.of(), path -> false).modelDirectory())
        .as("no contract there: SageMaker's directory").isEqualTo(Path.of("/opt/ml/model"));
    assertThat(ServerConfig.fromEnvironment(Map.of("MODEL_CONTRACT_MODEL_DIR", "/models/lstm"),
        kserveContract::equals).modelDirectory()).isEqualTo(Path.of("/models/lstm"));
    assertThat(ServerConfig.fromEnvironment(Map.of(), kserveContract::equals).goldenDirectory())
        .isEqualTo(Path.of("/mnt/models/golden"));
  }

  @Test
  void knativesPortIsHonouredWhereSageMakersIsUnset() {
    assertThat(ServerConfig.fromEnvironment(Map.of("PORT", "8081")).port()).isEqualTo(8081);
    assertThat(ServerConfig.fromEnvironment(Map.of("PORT", "8081", "SAGEMAKER_BIND_TO_PORT", "9090")).port())
        .isEqualTo(9090);
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("PORT", "70000")))
        .hasMessage("PORT must be a TCP port (1 to 65535), but is 70000");
  }

  @Test
  void theModelNameIsOneUrlPathSegment() {
    assertThat(ServerConfig.fromEnvironment(Map.of()).modelName()).isEmpty();
    assertThat(ServerConfig.fromEnvironment(Map.of("MODEL_CONTRACT_MODEL_NAME", " lstm-two-inputs ")).modelName())
        .contains("lstm-two-inputs");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("MODEL_CONTRACT_MODEL_NAME", "a/b")))
        .hasMessageStartingWith("MODEL_CONTRACT_MODEL_NAME must be a name of letters, digits");
  }

  @Test
  void blankValuesFallBackToDefaults() {
    ServerConfig config = ServerConfig.fromEnvironment(Map.of("SAGEMAKER_BIND_TO_PORT", "  ",
        "MODEL_CONTRACT_MAX_REQUEST_BYTES", ""));

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.maxRequestBytes()).isEqualTo(6L * 1024 * 1024);
  }

  @Test
  void nonNumericValueIsRejectedWithItsNameAndValue() {
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("SAGEMAKER_BIND_TO_PORT", "eighty")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SAGEMAKER_BIND_TO_PORT must be a positive integer, but is 'eighty'");
  }

  @Test
  void zeroOrNegativeValueIsRejected() {
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("SAGEMAKER_MODEL_SERVER_WORKERS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SAGEMAKER_MODEL_SERVER_WORKERS must be a positive integer, but is '0'");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("MODEL_CONTRACT_MAX_REQUEST_BYTES", "-5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MODEL_CONTRACT_MAX_REQUEST_BYTES must be a positive integer, but is '-5'");
  }

  @Test
  void valueTooLargeForAnIntIsRejectedWithTheSameMessage() {
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("SAGEMAKER_MODEL_SERVER_WORKERS", "3000000000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("SAGEMAKER_MODEL_SERVER_WORKERS must be a positive integer")
        .hasMessageContaining("'3000000000'");
  }

  @Test
  void aBatchTransformJobsMaxPayloadInMbIsTheBodyLimitInMibUnlessTheLimitIsSetExplicitly() {
    assertThat(ServerConfig.fromEnvironment(Map.of("SAGEMAKER_MAX_PAYLOAD_IN_MB", "20")).maxRequestBytes())
        .isEqualTo(20L * 1024 * 1024);
    assertThat(ServerConfig.fromEnvironment(Map.of("SAGEMAKER_MAX_PAYLOAD_IN_MB", "100")).maxRequestBytes())
        .isEqualTo(100L * 1024 * 1024);
    assertThat(ServerConfig.fromEnvironment(Map.of("SAGEMAKER_MAX_PAYLOAD_IN_MB", "20",
        "MODEL_CONTRACT_MAX_REQUEST_BYTES", "1048576")).maxRequestBytes()).as("the explicit limit wins")
        .isEqualTo(1048576);
    assertThat(ServerConfig.fromEnvironment(Map.of("SAGEMAKER_MAX_PAYLOAD_IN_MB", "0")).maxRequestBytes())
        .as("0 (chunked, any size) names no size").isEqualTo(6L * 1024 * 1024);
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("SAGEMAKER_MAX_PAYLOAD_IN_MB", "2048")))
        .hasMessageStartingWith("SAGEMAKER_MAX_PAYLOAD_IN_MB must be at most 2047");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("SAGEMAKER_MAX_PAYLOAD_IN_MB", "6MB")))
        .hasMessage("SAGEMAKER_MAX_PAYLOAD_IN_MB must be an integer of 0 or more, but is '6MB'");
  }

  @Test
  void aBatchTransformJobsStrategyAndConcurrencyAreRead() {
    BatchTransform job = ServerConfig.fromEnvironment(Map.of("SAGEMAKER_BATCH", "true",
        "SAGEMAKER_BATCH_STRATEGY", "MULTI_RECORD", "SAGEMAKER_MAX_CONCURRENT_TRANSFORMS", "4")).batchTransform();

    assertThat(job).isEqualTo(new BatchTransform(true, BatchTransform.Strategy.MULTI_RECORD, 4));
    assertThat(job.multiRecord()).isTrue();
    assertThat(ServerConfig.fromEnvironment(Map.of()).batchTransform()).isEqualTo(BatchTransform.NONE);
    assertThat(ServerConfig.fromEnvironment(Map.of("SAGEMAKER_BATCH", "true", "SAGEMAKER_BATCH_STRATEGY",
        "single_record")).batchTransform()).isEqualTo(new BatchTransform(true,
        BatchTransform.Strategy.SINGLE_RECORD, 0));
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("SAGEMAKER_BATCH_STRATEGY", "LINE")))
        .hasMessage("SAGEMAKER_BATCH_STRATEGY must be SINGLE_RECORD or MULTI_RECORD, but is 'LINE'");
  }
}
