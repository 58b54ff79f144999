package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The breaking-change gate with a real mvn: a copy of examples/lstm-two-inputs released as 1.0.0 (its
 * model.tar.gz, which build attaches, placed in the repository as {@code mvn install} would: the offline IT
 * repository has no install plugin), then changed and compared with the release by its coordinates, and with a
 * released contract file.
 */
class CompareIT {

  private static final String COMPARE = MavenRun.goal("compare");
  private static final String RELEASED = "-Dmodelcontract.released=com.example.compare:lstm:1.0.0";

  @TempDir
  Path dir;

  @Test
  void failsOnEachBreakingChangeAgainstTheReleaseOneLineEachAndPassesAdditiveOnes() throws Exception {
    Path repo = ExampleRepo.copy("lstm-two-inputs", dir.resolve("lstm"));
    Path pom = repo.resolve("pom.xml");
    Files.writeString(pom, Files.readString(pom)
        .replace("<groupId>dev.modelcontract.examples</groupId>", "<groupId>com.example.compare</groupId>")
        .replace("<artifactId>lstm-two-inputs</artifactId>", "<artifactId>lstm</artifactId>"));
    MavenRun.in(repo, "package", "-Dmodelcontract.image=compare-it:1.0.0").assertSucceeded();
    DockerClientFactory.instance().client().removeImageCmd("compare-it:1.0.0").withForce(true).exec();
    Path release = Path.of(System.getProperty("it.localRepository"), "com/example/compare/lstm/1.0.0");
    Files.createDirectories(release);
    Files.copy(repo.resolve("target/model-contract/model.tar.gz"), release.resolve("lstm-1.0.0-model.tar.gz"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path contract = repo.resolve("model/model-contract.yaml");
    String releasedContract = Files.readString(contract);
    Path releasedFile = Files.writeString(dir.resolve("released.yaml"), releasedContract);

    Files.writeString(contract, releasedContract.replace("T: {min: 1, max: 512}", "T: {min: 1, max: 256}")
        .replace("input_2", "volume"));
    MavenRun.Result broken = MavenRun.in(repo, COMPARE, RELEASED);

    assertThat(broken.exitCode()).as(broken.output()).isNotZero();
    assertThat(broken.output())
        .contains("3 breaking changes against the released contract com.example.compare:lstm:1.0.0 (version 1.0.0)")
        .contains("  dim 'T' narrowed from 1 <= T <= 512 to 1 <= T <= 256")
        .contains("  input 'input_2' was removed (renamed to 'volume'?): callers send it")
        .contains("  input 'volume' was added and is required");

    String retrained = releasedContract.replace("mean: [15000.0, 0.5]", "mean: [15500.0, 0.5]")
        .replace("T: {min: 1, max: 512}", "T: {min: 1, max: 1024}");
    Files.writeString(contract, retrained);
    Files.writeString(pom, Files.readString(pom).replace("<version>1.0.0</version>", "<version>1.1.0</version>"));
    MavenRun.Result newVersion = MavenRun.in(repo, COMPARE, RELEASED).assertSucceeded();

    assertThat(newVersion.output()).contains("additive dim 'T' widened")
        .contains("additive input 'input_2' normalize changed").contains("2 additive changes");

    MavenRun.Result sameVersion = MavenRun.in(repo, COMPARE, "-Dmodelcontract.released=" + releasedFile,
        "-Dmodelcontract.released.version=1.1.0");

    assertThat(sameVersion.exitCode()).as(sameVersion.output()).isNotZero();
    assertThat(sameVersion.output()).contains("1 breaking change against the released contract " + releasedFile)
        .contains("normalize changed from mean [15000.0, 0.5]").contains("without a new model version");
  }
}
