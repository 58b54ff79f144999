package dev.modelcontract.testkit;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.modelcontract.hosting.ImageCommand;
import dev.modelcontract.hosting.SageMakerHosting;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.utility.DockerImageName;

/**
 * A serving image started exactly as SageMaker starts it: {@code docker run IMAGE serve}, port 8080, model in
 * /opt/ml/model; ready once GET /ping answers 200, failed as soon as it exits.
 */
public class SageMakerContainer extends GenericContainer<SageMakerContainer> {

  public static final int PORT = SageMakerHosting.PORT;

  public SageMakerContainer(String image) {
    this(DockerImageName.parse(image));
  }

  /** Everything the container writes, kept from its start: readable even after a failed start removed it. */
  private final ToStringConsumer output = new ToStringConsumer();

  public SageMakerContainer(DockerImageName image) {
    super(image);
    withLogConsumer(output);
    withCommand(ImageCommand.SERVE.argument());
    withExposedPorts(PORT);
    waitingFor(new PingOrExit(PORT).withStartupTimeout(Duration.ofSeconds(60)));
  }

  /**
   * Mounts a model directory read-only at /opt/ml/model, as SageMaker mounts the model.tar.gz of ModelDataUrl,
   * extracted: over the image's own model, if it has one.
   */
  public SageMakerContainer withModel(Path modelDirectory) {
    return withReadOnlyBind(modelDirectory, SageMakerHosting.MODEL_DIRECTORY);
  }

  /** Mounts a host folder read-only at a path of the container, in place of any other such bind. */
  protected SageMakerContainer withReadOnlyBind(Path hostFolder, String containerPath) {
    // A bind on the create command itself: Testcontainers' withFileSystemBind first checks that files can be
    // mounted by running an alpine image, which cannot be pulled where no registry is reachable.
    Bind bind = new Bind(hostFolder.toAbsolutePath().toString(), new Volume(containerPath), AccessMode.ro);
    return withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(bind));
  }

  /** The last lines the container wrote (stdout and stderr), e.g. why it exited at start. */
  public String logTail(int lines) {
    String[] all = output.toUtf8String().split("\n");
    return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
  }

  /** The base URI of the running container, e.g. {@code http://localhost:32768}. */
  public URI getEndpoint() {
    return URI.create("http://" + getHost() + ":" + getMappedPort(PORT));
  }

  public URI getInvocationsUri() {
    return getEndpoint().resolve("/invocations");
  }

  public URI getPingUri() {
    return getEndpoint().resolve("/ping");
  }
}
