package dev.modelcontract.server;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.inference.OfflineDjl;
import java.io.IOException;

/**
 * The serving image's entry point. SageMaker starts the container with the argument {@code serve}.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    OfflineDjl.enforce();
    if (args.length != 1 || !"serve".equals(args[0])) {
      System.err.println("usage: serve    (SageMaker starts serving images with the argument 'serve';"
          + " this image does not train)");
      System.exit(2);
    }
    ServerConfig config;
    try {
      config = ServerConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      SageMakerServer server = SageMakerServer.start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
      server.loadModel();
    } catch (ContractException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    } catch (IOException e) {
      System.err.println("cannot listen on port " + config.port() + ": " + e.getMessage());
      System.exit(1);
    }
  }
}
