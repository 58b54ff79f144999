package dev.modelcontract.maven;

import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.verify.ImageVerifier;
import dev.modelcontract.verify.VerificationReport;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Starts the serving image as SageMaker does ({@code serve}, port 8080, model in /opt/ml/model), replays the
 * golden pairs, sends contract-breaking requests expecting 4xx problems, and fails with a report on any
 * difference.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyImageMojo extends ImageMojo {

  /** Golden pairs: {@code *.json} files of {"request": {...}, "response": {...}}. */
  @Parameter(property = PropertyNames.GOLDEN_DIRECTORY, defaultValue = "${project.basedir}/golden")
  private File goldenDirectory;

  /** Allowed difference per value, relative to {@code 1 + |expected|}. */
  @Parameter(property = PropertyNames.TOLERANCE, defaultValue = "1e-4")
  private double tolerance;

  @Parameter(property = PropertyNames.STARTUP_TIMEOUT, defaultValue = "120")
  private int startupTimeoutSeconds;

  @Parameter(defaultValue = "${project.build.directory}/model-contract/verify-report.txt", required = true)
  private File reportFile;

  @Parameter(property = PropertyNames.SKIP_VERIFY, defaultValue = "false")
  private boolean skip;

  @Override
  boolean skipGoal() {
    return skip;
  }

  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    List<GoldenCase> golden;
    try {
      golden = GoldenCase.loadAll(goldenDirectory.toPath());
    } catch (IOException e) {
      throw new MojoFailureException("cannot read the golden pairs: " + e.getMessage(), e);
    }
    if (golden.isEmpty()) {
      getLog().warn("No golden pairs in " + goldenDirectory + ": only the contract's refusals are verified");
    }
    VerificationReport report;
    try {
      report = new ImageVerifier(getLog()::info)
          .verify(image, readContract(), golden, tolerance, Duration.ofSeconds(startupTimeoutSeconds));
    } finally {
      cleanUpDockerSession();
    }
    try {
      Files.createDirectories(reportFile.toPath().getParent());
      Files.writeString(reportFile.toPath(), report.render());
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write " + reportFile + ": " + e.getMessage(), e);
    }
    if (!report.passed()) {
      throw new MojoFailureException(report.render());
    }
    report.render().lines().forEach(getLog()::info);
  }
}
