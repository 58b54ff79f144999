package dev.modelcontract.server;

import static dev.modelcontract.hosting.EnvironmentVariable.MODEL_CONTRACT_STUB_IMAGE;
import static dev.modelcontract.hosting.EnvironmentVariable.SAGEMAKER_MULTI_MODEL;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.hosting.ImageCommand;
import dev.modelcontract.inference.CpuKernels;
import dev.modelcontract.inference.OfflineDjl;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import sun.misc.Signal;

/**
 * The serving image's entry point, run with one {@link ImageCommand} or none. SageMaker starts the container with the
 * argument {@code serve}, KServe with no argument, which serves too; a stub image starts with {@code stub}, and
 * refuses {@code serve}.
 *
 * <p>Exit codes: 2 for a wrong command line or setting, 1 when the contract, the model or the port fails, 3 when the
 * model's numbers on this host's CPU differ from its golden pairs (the container stops rather than serve them),
 * 0 after SIGTERM or SIGINT once every request read has been answered, 4 when the drain timeout cut requests.
 *
 * <p>A single-model start on a CPU with oneDNN kernels past AVX2 serves capped and checks the uncapped kernels in the
 * background ({@link KernelChoice}); where they agree, the process hands its port to itself restarted with them
 * ({@link KernelSwitch}), keeping its process id and refusing no connection.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    OfflineDjl.enforce();
    ImageCommand command = ImageCommand.ofCommandLine(args).orElse(null);
    if (command == null) {
      System.err.println("usage: [" + ImageCommand.SERVE + " | " + ImageCommand.STUB + "]    (SageMaker starts serving"
          + " images with the argument '" + ImageCommand.SERVE + "', KServe with none, which serves too; this image"
          + " does not train. '" + ImageCommand.STUB + "' answers without the model, for callers' tests)");
      System.exit(2);
      return;
    }
    boolean warmUp = command == ImageCommand.WARM_UP;
    boolean stub = command == ImageCommand.STUB;
    if (command == ImageCommand.SERVE && "true".equals(MODEL_CONTRACT_STUB_IMAGE.in(System.getenv()))) {
      System.err.println("this is a stub image: it holds the contract and its golden pairs but not the model, and"
          + " answers with '" + ImageCommand.STUB + "' only (for callers' tests); deploy the serving image as the"
          + " endpoint");
      System.exit(2);
    }
    // SageMaker starts a multi-model endpoint's container with this set: no model until POST /models loads one.
    boolean multiModel = "true".equalsIgnoreCase(SAGEMAKER_MULTI_MODEL.in(System.getenv())) && !stub && !warmUp;
    ServerConfig config;
    ModelBudget modelBudget;
    try {
      modelBudget = multiModel ? ModelBudget.fromEnvironment(System.getenv()) : null;
      ServerConfig fromEnvironment = ServerConfig.fromEnvironment(System.getenv());
      config = warmUp ? fromEnvironment.withPort(0) : fromEnvironment;
    } catch (IllegalArgumentException e) {
      System.err.println("cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Before libtorch loads: a single-model image starts capped and checks the uncapped kernels once it serves.
    CpuKernels.Configuration kernels = CpuKernels.apply(multiModel ? CpuKernels.Use.MULTI_MODEL
        : stub || warmUp ? CpuKernels.Use.TOOLING : CpuKernels.Use.CHECKED_SERVING);
    SageMakerServer server;
    try {
      ServerSocketChannel listening = multiModel ? null : KernelSwitch.inheritedListener().orElse(null);
      server = multiModel ? SageMakerServer.startMultiModel(config, null, modelBudget)
          : listening != null ? SageMakerServer.takeOver(config, listening)
          : SageMakerServer.start(config);
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
    if (multiModel) {
      return;
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
    if (kernels.basis() == CpuKernels.Basis.CHECKING) {
      KernelChoice.inBackground(server, config);
    }
  }
}
