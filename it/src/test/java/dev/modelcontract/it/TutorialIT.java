package dev.modelcontract.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * A model repo outside this source tree, made the way docs/tutorial.md tells a user: a project whose pom holds only
 * the tutorial's plugin block, a TorchScript file, and then its steps with a real mvn against the plugin as installed
 * (the IT repository). Nothing of this checkout is reachable from the repo but the model and golden files copied in.
 */
class TutorialIT {

  private static final Path DOCS = ExampleRepo.EXAMPLES.resolveSibling("docs");
  private static final Path EXAMPLE = ExampleRepo.EXAMPLES.resolve("lstm-two-inputs");
  private static final Pattern XML_BLOCK = Pattern.compile("## 3\\. Add the plugin\\s+```xml\\n(.*?)```",
      Pattern.DOTALL);

  @TempDir
  Path dir;

  @Test
  void aRepoOutsideTheTreeGoesFromInitToAVerifiedImageWithTheTutorialsPluginBlock() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("my-model"));
    assertThat(repo.toAbsolutePath().normalize().startsWith(DOCS.toAbsolutePath().normalize().getParent())).isFalse();
    Matcher plugin = XML_BLOCK.matcher(Files.readString(DOCS.resolve("tutorial.md")));
    assertThat(plugin.find()).as("the tutorial's plugin block").isTrue();
    Files.writeString(repo.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId>
          <artifactId>my-model</artifactId>
          <version>1.0.0</version>
          <packaging>pom</packaging>
          <build>
            <plugins>
        %s
            </plugins>
          </build>
        </project>
        """.formatted(plugin.group(1)));
    Files.createDirectories(repo.resolve("model"));
    Files.copy(EXAMPLE.resolve("model/model.pt"), repo.resolve("model/model.pt"));

    // "mvn model-contract:init drafts model/model-contract.yaml from the TorchScript file in model/": without a sample
    // request, its dtypes and shapes are FILL IN marks, which mvn validate names
    MavenRun.in(repo, "model-contract:init").assertSucceeded();
    String starter = Files.readString(repo.resolve("model/model-contract.yaml"));
    assertThat(starter).contains("$schema: ../target/model-contract/model-contract.schema.json");
    MavenRun.Result disagrees = MavenRun.in(repo, "validate");
    assertThat(disagrees.exitCode()).as(disagrees.output()).isNotZero();
    assertThat(disagrees.output()).contains("model-contract.yaml")
        .contains("(/inputs/0/shape): the shape of input 'x' is still to fill in (marked FILL IN)");
    assertThat(repo.resolve("target/model-contract/model-contract.schema.json"))
        .as("the schema the contract's $schema names, written by validate from the plugin").isRegularFile();

    // The contract the tutorial's section 2 describes, and the golden pairs of section 1.
    Files.copy(EXAMPLE.resolve("model/model-contract.yaml"), repo.resolve("model/model-contract.yaml"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    ExampleRepo.copyTree(EXAMPLE.resolve("golden"), repo.resolve("golden"));

    MavenRun.Result verified = MavenRun.in(repo, "verify").assertSucceeded();

    assertThat(verified.output()).contains("Built my-model:1.0.0").contains("0 failed");
    assertThat(repo.resolve("target/model-contract/model.tar.gz")).isRegularFile();
    assertThat(repo.resolve("target/model-contract/sbom.cdx.json")).isRegularFile();
    assertThat(Files.readString(repo.resolve("target/model-contract/openapi.json")))
        .contains("\"openapi\" : \"3.1.0\"").contains("\"input_1\"").contains("\"output_2\"");
    DockerClientFactory.instance().client().removeImageCmd("my-model:1.0.0").withForce(true).exec();
  }
}
