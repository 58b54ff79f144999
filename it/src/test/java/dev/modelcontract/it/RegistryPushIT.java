package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The image leaves the machine: {@code build} pushes it with Jib to a registry on 127.0.0.1 (the Registry v2 API, as
 * ECR serves it) or writes a tar, and what arrives is the image {@code verify} accepts. A copy of
 * examples/lstm-two-inputs is built with a real mvn.
 */
class RegistryPushIT {

  private static final String BASE_IMAGE = "model-contract/base:jre17-bookworm-slim";
  private static final String VERIFY = MavenRun.goal("verify");
  private static final Pattern BUILT = Pattern.compile("Built \\S+ \\(.*\\) in ([0-9.]+) s");

  @TempDir
  Path dir;

  @Test
  void pushesTheSameDigestForTheSameRepoOnlyTheModelLayerForAModelChangeAndThePulledImagePassesVerify()
      throws Exception {
    Path repo = ExampleRepo.copy("lstm-two-inputs", dir.resolve("lstm-two-inputs"));
    DockerClient docker = DockerClientFactory.instance().client();
    try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")))) {
      String[] push = {"package", "-Dmodelcontract.imageTarget=registry",
          "-Dmodelcontract.allowInsecureRegistries=true",
          "-Dmodelcontract.image=" + registry.address() + "/lstm-two-inputs:1.0.0"};
      MavenRun.in(repo, push).assertSucceeded();
      String first = registry.digest("lstm-two-inputs", "1.0.0");
      assertThat(registry.digest("lstm-two-inputs-stub", "1.0.0")).as("the example's stub, pushed beside it")
          .isNotEqualTo(first);
      long stored = registry.storedBytes();

      MavenRun.in(repo, push).assertSucceeded();

      assertThat(registry.digest("lstm-two-inputs", "1.0.0")).as("the same repo built again").isEqualTo(first);
      assertThat(registry.storedBytes()).as("nothing new pushed").isEqualTo(stored);

      // A model-only change: the model layer holds the model, its contract and its golden pairs.
      Files.copy(repo.resolve("golden/batched.json"), repo.resolve("golden/batched-again.json"));
      MavenRun.Result changed = MavenRun.in(repo, push).assertSucceeded();

      String second = registry.digest("lstm-two-inputs", "1.0.0");
      long pushed = registry.storedBytes() - stored;
      System.out.printf("model-only change: build goal %s s, %,d bytes pushed (the image's first push: %,d)%n",
          builtSeconds(changed.output()), pushed, stored);
      assertThat(second).isNotEqualTo(first);
      assertThat(pushed).as("the model and SBOM layers, a config and a manifest: not the runtime")
          .isLessThan(1_000_000);

      String byDigest = registry.address() + "/lstm-two-inputs@" + second;
      docker.pullImageCmd(registry.address() + "/lstm-two-inputs").withTag(second)
          .exec(new PullImageResultCallback()).awaitCompletion(5, TimeUnit.MINUTES);
      try {
        MavenRun.Result verified = MavenRun.in(repo, VERIFY, "-Dmodelcontract.image=" + byDigest).assertSucceeded();
        assertThat(verified.output()).contains("0 failed");
      } finally {
        docker.removeImageCmd(byDigest).withForce(true).exec();
      }
    }
  }

  @Test
  void buildsFromABaseImageTarIntoATarThatDockerLoadsAndVerifyAccepts() throws Exception {
    Path repo = ExampleRepo.copy("lstm-two-inputs", dir.resolve("lstm-two-inputs"));
    DockerClient docker = DockerClientFactory.instance().client();
    Path base = dir.resolve("base.tar");
    try (InputStream saved = docker.saveImageCmd(BASE_IMAGE).exec()) {
      Files.copy(saved, base);
    }
    Path tar = dir.resolve("image.tar");

    MavenRun.Result built = MavenRun.in(repo, "package", "-Dmodelcontract.baseImage=tar://" + base,
        "-Dmodelcontract.imageTarget=tar", "-Dmodelcontract.imageTar=" + tar,
        "-Dmodelcontract.image=lstm-two-inputs:from-tar").assertSucceeded();

    assertThat(built.output()).contains("base image tar://" + base);
    // The example's stub goes where its image goes: a tar beside it.
    Path stubTar = dir.resolve("stub-image.tar");
    for (Path file : List.of(tar, stubTar)) {
      assertThat(file).isRegularFile();
      try (InputStream in = Files.newInputStream(file)) {
        docker.loadImageCmd(in).exec();
      }
    }
    try {
      MavenRun.Result verified = MavenRun.in(repo, VERIFY, "-Dmodelcontract.image=lstm-two-inputs:from-tar")
          .assertSucceeded();
      assertThat(verified.output()).contains("Verification of lstm-two-inputs:from-tar")
          .contains("Verification of lstm-two-inputs-stub:from-tar");
    } finally {
      docker.removeImageCmd("lstm-two-inputs:from-tar").withForce(true).exec();
      docker.removeImageCmd("lstm-two-inputs-stub:from-tar").withForce(true).exec();
    }
  }

  private static String builtSeconds(String output) {
    Matcher matcher = BUILT.matcher(output);
    return matcher.find() ? matcher.group(1) : "?";
  }
}
