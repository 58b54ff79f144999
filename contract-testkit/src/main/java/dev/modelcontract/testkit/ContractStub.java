package dev.modelcontract.testkit;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.server.SageMakerServer;
import dev.modelcontract.server.ServerConfig;
import dev.modelcontract.stub.StubAnswers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A consumer stub of a contract, in this JVM and without the model: the serving image's own HTTP server and
 * contract enforcement on a free port of the loopback address, so every request is decoded, checked and refused
 * exactly as the image would (same status, same problem), and a valid one is answered by {@link StubAnswers}: the
 * golden response where the request is a golden request, zeros through the contract's output mapping otherwise.
 * Callers test their client code against it without Docker, libtorch or the model file.
 */
public final class ContractStub implements AutoCloseable {

  private final SageMakerServer server;
  private final ModelContract contract;

  private ContractStub(SageMakerServer server, ModelContract contract) {
    this.server = server;
    this.contract = contract;
  }

  /**
   * Starts a stub of a contract file, answering the golden pairs of a folder (which may be absent).
   *
   * @throws ContractException when the contract is invalid
   * @throws IOException when the golden pairs cannot be read or no port can be opened
   */
  public static ContractStub start(Path contractFile, Path goldenDirectory) throws ContractException, IOException {
    return start(new ContractReader().read(contractFile), GoldenCase.loadAll(goldenDirectory));
  }

  /**
   * Starts a stub of a contract answering these golden pairs.
   *
   * @throws ContractException when a default value in the contract does not fit its input
   * @throws IOException when no port can be opened
   * @throws IllegalArgumentException when a golden request breaks the contract
   */
  public static ContractStub start(ModelContract contract, List<GoldenCase> golden)
      throws ContractException, IOException {
    ContractModel served = StubAnswers.serving(contract, golden);
    ServerConfig config = ServerConfig.fromEnvironment(Map.of()).withPort(0);
    SageMakerServer server = SageMakerServer.start(config, InetAddress.getLoopbackAddress());
    server.serve(served);
    return new ContractStub(server, contract);
  }

  /** The stub's base URI, e.g. {@code http://127.0.0.1:41235}. */
  public URI endpoint() {
    return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.port());
  }

  public ModelContract contract() {
    return contract;
  }

  public ContractClient client() {
    return new ContractClient(endpoint(), contract);
  }

  @Override
  public void close() {
    server.close();
  }
}
