package dev.modelcontract.verify;

import dev.modelcontract.container.ContainerTemplate;
import java.net.URI;
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
