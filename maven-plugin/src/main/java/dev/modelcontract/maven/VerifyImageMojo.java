package dev.modelcontract.maven;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.image.ModelArchive;
import dev.modelcontract.testkit.ConformanceSuite;
import dev.modelcontract.testkit.ImageVerifier;
import dev.modelcontract.testkit.MultiModelContainer;
import dev.modelcontract.testkit.VerificationReport;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.commons.io.FileUtils;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Starts the serving image as SageMaker does ({@code serve}, port 8080, model in /opt/ml/model), runs the
 * contract-testing kit's conformance suite against it (golden pairs, valid requests in every format, one
 * contract-breaking request per kind of violation) and stops it as SageMaker does; fails with a report on any
 * difference. With {@code stub}, the stub image {@code build} made passes the same suite ({@code docker run IMAGE
 * stub}), reported beside it ({@code verify-report-stub.txt}). A multi-model image is started as a multi-model
 * endpoint with the model archive extracted under /opt/ml/models, and runs the testkit's multi-model suite instead:
 * the model loaded by name, the same conformance suite through its invoke route, unloaded and reloaded, and a second
 * copy refused 507 by a budget that holds one.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyImageMojo extends ImageMojo {

  /** How long the container may take to answer 200 on /ping, in seconds. */
  @Parameter(property = PropertyNames.STARTUP_TIMEOUT, defaultValue = "120")
  private int startupTimeoutSeconds;

  /**
   * Where the verification report is also written as JUnit XML (the format Surefire and Failsafe write), for CI
   * servers: one test case per check.
   */
  @Parameter(defaultValue = "${project.build.directory}/model-contract/verify-reports/TEST-model-contract-verify.xml",
      required = true)
  private File xmlReportFile;

  /** Where the verification report is written, passed or failed: one line per check. */
  @Parameter(defaultValue = "${project.build.directory}/model-contract/verify-report.txt", required = true)
  private File reportFile;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.SKIP_VERIFY, defaultValue = "false")
  private boolean skip;

  /** Maven's switch for skipping tests: verifying the image is the model repo's integration test. */
  @Parameter(property = PropertyNames.SKIP_TESTS, defaultValue = "false")
  private boolean skipTests;

  /** Maven's switch for skipping integration tests only. */
  @Parameter(property = PropertyNames.SKIP_ITS, defaultValue = "false")
  private boolean skipITs;

  /** Where {@code verify} extracts the model archive to mount it into an image built without its model. */
  @Parameter(defaultValue = "${project.build.directory}/model-contract/mounted-model", readonly = true)
  private File mountedModelDirectory;

  /**
   * Where {@code verify} extracts the model archive for a multi-model image, as SageMaker does: into
   * {@code NAME/model}, the folder mounted at /opt/ml/models.
   */
  @Parameter(defaultValue = "${project.build.directory}/model-contract/models", readonly = true)
  private File multiModelDirectory;

  @Override
  boolean skipGoal() {
    return skip || skipTests || skipITs;
  }

  /**
   * The seed of the valid requests drawn from the contract (at the minimum, typical and maximum sizes); a new one
   * each run unless set, printed either way so a failure can be repeated.
   */
  @Parameter(property = PropertyNames.VERIFY_SEED)
  private Long seed;

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    List<GoldenCase> golden = readGoldenPairs();
    if (golden.isEmpty()) {
      getLog().warn("No golden pairs in " + goldenDirectory + ": only the contract's refusals are verified");
    }
    Path models = multiModelDirectory.toPath();
    Path mounted = null;
    if (multiModel) {
      extract(models, MultiModelContainer.modelDirectory(models, modelName), "loaded from "
          + MultiModelContainer.modelUrl(modelName) + " as a multi-model endpoint");
    } else if (!includeModel) {
      mounted = extract(mountedModelDirectory.toPath(), mountedModelDirectory.toPath(), "mounted at /opt/ml/model");
    }
    VerificationReport report;
    VerificationReport stubReport = null;
    enterDockerSession();
    try {
      ConformanceSuite suite = ConformanceSuite.of(readContract()).withGolden(golden).withTolerance(tolerance)
          .withSeed(seed != null ? seed : ConformanceSuite.newSeed());
      getLog().info(suite.seedLine());
      ImageVerifier verifier = new ImageVerifier(getLog()::info);
      Duration startupTimeout = Duration.ofSeconds(startupTimeoutSeconds);
      report = multiModel ? verifier.verifyMultiModel(image, models, modelName, suite, startupTimeout)
          : verifier.verify(image, mounted, suite, startupTimeout);
      Optional<String> stubName = stubImageName();
      if (stub && stubName.isPresent()) {
        stubReport = verifier.verifyStub(stubName.get(), suite, startupTimeout);
      } else if (stub) {
        getLog().warn("The image " + image + " is named by digest, which names it alone: set stubImage to verify"
            + " its stub too");
      }
    } catch (IOException e) {
      throw new MojoExecutionException("cannot size the models' memory budget from " + models + ": "
          + e.getMessage(), e);
    } finally {
      cleanUpDockerSession();
    }
    write(report, reportFile, xmlReportFile);
    if (stubReport != null) {
      write(stubReport, sibling(reportFile, "-stub"), sibling(xmlReportFile, "-stub"));
    }
    for (VerificationReport verified : stubReport == null ? List.of(report) : List.of(report, stubReport)) {
      if (!verified.passed()) {
        throw new MojoFailureException(verified.render());
      }
      verified.render().lines().forEach(getLog()::info);
    }
  }

  /** The readable report and its JUnit XML. */
  private static void write(VerificationReport report, File text, File xml) throws MojoExecutionException {
    try {
      Files.createDirectories(text.toPath().getParent());
      Files.writeString(text.toPath(), report.render());
      Files.createDirectories(xml.toPath().getParent());
      try (OutputStream out = Files.newOutputStream(xml.toPath())) {
        report.writeJUnitXml(out);
      }
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write the verification reports: " + e.getMessage(), e);
    }
  }

  /** {@code verify-report.txt} → {@code verify-report-stub.txt}. */
  private static File sibling(File file, String suffix) {
    String name = file.getName();
    int dot = name.lastIndexOf('.');
    return new File(file.getParentFile(), name.substring(0, dot) + suffix + name.substring(dot));
  }

  /**
   * The model archive {@code build} wrote, extracted as SageMaker extracts it into {@code directory}, once every
   * earlier extraction under {@code folder} is gone.
   */
  private Path extract(Path folder, Path directory, String mountedAt) throws MojoExecutionException {
    try {
      FileUtils.deleteDirectory(folder.toFile());
      ModelArchive.extract(modelArchive.toPath(), directory);
      getLog().info("The image has no model: verifying it with " + modelArchive + " extracted and " + mountedAt);
      return directory;
    } catch (IOException e) {
      throw new MojoExecutionException("cannot extract " + modelArchive + " (run the build goal first): "
          + e.getMessage(), e);
    }
  }
}
