package dev.modelcontract.testkit;

import com.github.dockerjava.api.DockerClient;
import dev.modelcontract.hosting.ImageCommand;
import dev.modelcontract.validation.Check;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import org.testcontainers.containers.ContainerLaunchException;

/**
 * Starts a serving image as SageMaker would ({@code docker run IMAGE serve}, port 8080, model in /opt/ml/model),
 * runs the {@link ConformanceSuite} against it, and stops it as SageMaker does: the platform checks around the
 * suite are the start (200 on /ping within the budget) and the exit within 30 s of SIGTERM. A multi-model image is
 * started as a multi-model endpoint instead, and runs the {@link MultiModelSuite} between the same two checks.
 */
public final class ImageVerifier {

  /** What SageMaker waits between SIGTERM and SIGKILL. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final Consumer<String> log;

  public ImageVerifier(Consumer<String> log) {
    this.log = log;
  }

  /**
   * Verifies an image, serving its own model or a mounted model directory (as SageMaker serves the model.tar.gz of
   * ModelDataUrl).
   *
   * @param image the image to start
   * @param mountedModel the model directory mounted at /opt/ml/model; null to serve the image's own
   * @param suite the suite of the contract the image serves
   * @param startupTimeout how long the container may take to answer 200 on /ping
   */
  public VerificationReport verify(String image, Path mountedModel, ConformanceSuite suite, Duration startupTimeout) {
    return verify(image, ImageCommand.SERVE, mountedModel, suite, startupTimeout);
  }

  /**
   * Verifies a stub image ({@code docker run IMAGE stub}): the same suite, which it must pass without the model, and
   * the same stop.
   */
  public VerificationReport verifyStub(String image, ConformanceSuite suite, Duration startupTimeout) {
    return verify(image, ImageCommand.STUB, null, suite, startupTimeout);
  }

  /**
   * Verifies a multi-model image: started as a SageMaker multi-model endpoint with a folder of extracted archives
   * mounted at /opt/ml/models (and the suite's budget, where it has one, as the models' memory), the
   * {@link MultiModelSuite} run through its /models API, and the same stop.
   *
   * @param modelsFolder the folder mounted at /opt/ml/models, each model in {@code NAME/model}
   *     ({@link MultiModelContainer#modelDirectory}), loaded from {@link MultiModelContainer#modelUrl}
   */
  public VerificationReport verifyMultiModel(String image, Path modelsFolder, MultiModelSuite suite,
      Duration startupTimeout) {
    MultiModelContainer container = new MultiModelContainer(image).withModels(modelsFolder);
    suite.budget().ifPresent(container::withModelsMemoryBytes);
    return verify(image, container, startupTimeout, endpoint -> suite.run(new MultiModelClient(endpoint)));
  }

  /**
   * Verifies a multi-model image with one model repo's archive, as the plugin's {@code verify} does: the model
   * loaded under its name, on an endpoint whose budget holds exactly one copy of it, so that a second copy is refused
   * 507 and loads once the first is unloaded.
   *
   * @param modelsFolder the folder mounted at /opt/ml/models, the archive extracted in {@code NAME/model}
   *     ({@link MultiModelContainer#modelDirectory})
   * @param name the name it is loaded under
   * @param suite the suite of its contract
   * @throws IOException when the extracted model cannot be listed to size the budget
   */
  public VerificationReport verifyMultiModel(String image, Path modelsFolder, String name, ConformanceSuite suite,
      Duration startupTimeout) throws IOException {
    long oneCopy = MultiModelSuite.budgetFor(List.of(MultiModelContainer.modelDirectory(modelsFolder, name)));
    MultiModelSuite models = MultiModelSuite.of(List.of(new MultiModelSuite.Model(name,
        MultiModelContainer.modelUrl(name), suite))).withBudget(oneCopy);
    return verifyMultiModel(image, modelsFolder, models, startupTimeout);
  }

  private VerificationReport verify(String image, ImageCommand command, Path mountedModel, ConformanceSuite suite,
      Duration startupTimeout) {
    SageMakerContainer container = new SageMakerContainer(image).withCommand(command.argument());
    if (mountedModel != null) {
      container.withModel(mountedModel);
    }
    return verify(image, container, startupTimeout, endpoint -> suite.run(new ContractClient(endpoint,
        suite.contract())));
  }

  /** Starts the container (a failed start is the report's one check), runs the checks, and stops it. */
  private VerificationReport verify(String image, SageMakerContainer started, Duration startupTimeout,
      Function<URI, List<Check>> suite) {
    List<Check> checks = new ArrayList<>();
    try (SageMakerContainer container = started) {
      container.withStartupTimeout(startupTimeout);
      long begun = System.nanoTime();
      try {
        container.start();
      } catch (ContainerLaunchException e) {
        checks.add(Check.fail("container start", rootCause(e).getMessage() + " (budget " + startupTimeout.toSeconds()
            + " s); its log ends with:\n" + tail(container)));
        return new VerificationReport(image, null, checks);
      }
      Duration startup = Duration.ofNanos(System.nanoTime() - begun);
      log.accept(String.format(Locale.ROOT, "%s answered /ping after %.2f s at %s", image, startup.toMillis() / 1000.0,
          container.getEndpoint()));
      checks.addAll(suite.apply(container.getEndpoint()));
      checks.add(stops(container));
      return new VerificationReport(image, startup, checks);
    }
  }

  /**
   * SageMaker stops a container with SIGTERM and kills it 30 s later: the server must drain and exit 0 first.
   */
  static Check stops(SageMakerContainer container) {
    String name = "exits 0 within " + STOP_GRACE.toSeconds() + " s of SIGTERM, as SageMaker stops it";
    DockerClient docker = container.getDockerClient();
    String id = container.getContainerId();
    long started = System.nanoTime();
    docker.stopContainerCmd(id).withTimeout((int) STOP_GRACE.toSeconds()).exec();
    double seconds = (System.nanoTime() - started) / 1e9;
    Long exitCode = docker.inspectContainerCmd(id).exec().getState().getExitCodeLong();
    String seen = String.format(Locale.ROOT, "exit %d after %.2f s", exitCode, seconds);
    return exitCode != null && exitCode == 0 && seconds < STOP_GRACE.toSeconds() ? Check.pass(name, seen)
        : Check.fail(name, seen + " (137: killed when the grace ran out)");
  }

  private static Throwable rootCause(Throwable thrown) {
    Throwable cause = thrown;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  static String tail(SageMakerContainer container) {
    String tail = container.logTail(20);
    return tail.isBlank() ? "(nothing)" : tail;
  }
}
