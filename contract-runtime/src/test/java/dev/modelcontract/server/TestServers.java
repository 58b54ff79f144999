package dev.modelcontract.server;

import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.validation.GoldenReplay;

/** Servers of the example models for tests: any free port, the example's golden pairs, the default tolerance. */
final class TestServers {

  private TestServers() {}

  static ServerConfig config(ExampleModel example, long maxRequestBytes, int workers) {
    return new ServerConfig(0, example.modelDir(), maxRequestBytes, workers, example.goldenDir(),
        GoldenReplay.DEFAULT_TOLERANCE);
  }

  /** Started and loaded: /ping answers 200. */
  static SageMakerServer ready(ServerConfig config) throws Exception {
    SageMakerServer server = SageMakerServer.start(config);
    try {
      server.loadModel();
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    return server;
  }
}
