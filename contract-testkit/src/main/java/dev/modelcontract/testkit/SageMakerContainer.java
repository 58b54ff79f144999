package dev.modelcontract.testkit;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.modelcontract.container.ContainerTemplate;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A serving image started exactly as SageMaker starts it: {@code docker run IMAGE serve}, port 8080, model in
 * /opt/ml/model; ready once GET /ping answers 200.
 */
public class SageMakerContainer extends GenericContainer<SageMakerContainer> {

  public static final int PORT = ContainerTemplate.PORT;

  public SageMakerContainer(String image) {
    this(DockerImageName.parse(image));
  }

  public SageMakerContainer(DockerImageName image) {
    super(image);
    withCommand("serve");
    withExposedPorts(PORT);
    waitingFor(Wait.forHttp("/ping").forStatusCode(200).withStartupTimeout(Duration.ofSeconds(60)));
  }

  /**
   * Mounts a model directory read-only at /opt/ml/model, as SageMaker mounts the model.tar.gz of ModelDataUrl,
   * extracted: over the image's own model, if it has one.
   */
  public SageMakerContainer withModel(Path modelDirectory) {
    // A bind on the create command itself: Testcontainers' withFileSystemBind first checks that files can be
    // mounted by running an alpine image, which cannot be pulled where no registry is reachable.
    Bind bind = new Bind(modelDirectory.toAbsolutePath().toString(), new Volume(ContainerTemplate.CONTAINER_MODEL_PATH),
        AccessMode.ro);
    return withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(bind));
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
