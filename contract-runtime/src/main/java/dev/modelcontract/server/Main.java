package dev.modelcontract.server;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.inference.OfflineDjl;
import java.io.IOException;
import sun.misc.Signal;

/**
 * The serving image's entry point. SageMaker starts the container with the argument {@code serve}; a stub image
 * starts with {@code stub}, and refuses {@code serve}.
 *
 * <p>Exit codes: 2 for a wrong command line or setting, 1 when the contract, the model or the port fails, 3 when the
 * model's numbers on this host's CPU differ from its golden pairs (the container stops rather than serve them),
 * 0 after SIGTERM or SIGINT once every request read has been answered, 4 when the drain timeout cut requests.
 */
public final class Main {

  /**
   * The image build's training start ({@code warm-up}): serve on a free port, answer the golden requests over
   * HTTP, exit. The classes it loads become the image's class-data-sharing archive, which shortens every start.
   */
  static final String WARM_UP = "warm-up";

  /**
   * The stub image's command ({@code stub}): the contract enforced as {@code serve} enforces it, without the model
   * or libtorch ({@link SageMakerServer#loadStub}).
   */
  static final String STUB = "stub";

  /** Set in a stub image's environment (container-template's {@code ContainerTemplate.STUB_MARKER}). */
  static final String STUB_IMAGE_MARKER = "MODEL_CONTRACT_STUB_IMAGE";

  private Main() {}

  public static void main(String[] args) {
    OfflineDjl.enforce();
    boolean warmUp = args.length == 1 && WARM_UP.equals(args[0]);
    boolean stub = args.length == 1 && STUB.equals(args[0]);
    if (args.length != 1 || !("serve".equals(args[0]) || warmUp || stub)) {
      System.err.println("usage: serve | stub    (SageMaker starts serving images with the argument 'serve';"
          + " this image does not train. 'stub' answers without the model, for callers' tests)");
      System.exit(2);
    }
    if ("serve".equals(args[0]) && "true".equals(System.getenv(STUB_IMAGE_MARKER))) {
      System.err.println("this is a stub image: it holds the contract and its golden pairs but not the model, and"
          + " answers with 'stub' only (for callers' tests); deploy the serving image as the endpoint");
      System.exit(2);
    }
    ServerConfig config;
    try {
      ServerConfig fromEnvironment = ServerConfig.fromEnvironment(System.getenv());
      config = warmUp ? fromEnvironment.withPort(0) : fromEnvironment;
    } catch (IllegalArgumentException e) {
      System.err.println("cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    SageMakerServer server;
    try {
      server = SageMakerServer.start(config);
    } catch (IOException e) {
      System.err.println("cannot listen on port " + config.port() + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    // SageMaker stops a container with SIGTERM and kills it 30 s later: answer what was read, then exit 0.
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> new Thread(() -> System.exit(
          server.drain(config.drainTimeout()) ? 0 : 4), "drain").start());
    }
    try {
      if (stub) {
        server.loadStub();
      } else {
        server.loadModel();
      }
    } catch (ContractException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    } catch (GoldenPairsDiffer e) {
      System.err.println(e.getMessage());
      System.exit(3);
    } catch (IOException e) {
      System.err.println("cannot read the golden pairs: " + e.getMessage());
      System.exit(1);
    } catch (RuntimeException | LinkageError e) {
      // Nothing serves without a model: a container that stays up answering 503 forever helps nobody.
      System.err.println("cannot start: " + e);
      System.exit(1);
    }
    if (warmUp) {
      System.exit(WarmUp.exercise(server, config.goldenDirectory()) ? 0 : 1);
    }
  }
}
