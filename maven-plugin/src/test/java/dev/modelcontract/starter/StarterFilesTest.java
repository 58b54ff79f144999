package dev.modelcontract.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.draft.DraftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class StarterFilesTest {

  private static final Coordinates PROJECT = new Coordinates("com.acme", "store-demand", "1.0.0-SNAPSHOT");
  private static final Coordinates PLUGIN = new Coordinates("dev.modelcontract", "model-contract-maven-plugin", "9.9");

  @TempDir
  Path repo;

  @TempDir
  Path downloads;

  private StarterFiles files() {
    return new StarterFiles(repo, repo.resolve("model"), repo.resolve("golden"));
  }

  @Test
  void anEmptyFolderGetsAPomTheModelItsContractAndTheGoldenNote() throws Exception {
    Path model = Files.writeString(downloads.resolve("forecaster.pt"), "torchscript bytes");

    StarterFiles.Result result = files().write(files().locateModel(model.toString()),
        StarterFiles.pom(PROJECT, PLUGIN), Optional.of("version: 1\n"));

    assertThat(result.written()).containsExactly(repo.resolve("pom.xml"), repo.resolve("model/forecaster.pt"),
        repo.resolve("model/model-contract.yaml"), repo.resolve("golden/README.md"));
    assertThat(result.kept()).isEmpty();
    assertThat(repo.resolve("model/forecaster.pt")).hasContent("torchscript bytes");
    assertThat(repo.resolve("model/model-contract.yaml")).hasContent("version: 1");
    assertThat(repo.resolve("golden/README.md")).content().contains("\"request\"").contains("model-contract:record");
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(repo.resolve("pom.xml").toFile());
    assertThat(pom.getElementsByTagName("artifactId").item(0).getTextContent()).isEqualTo("store-demand");
    assertThat(pom.getElementsByTagName("groupId").item(0).getTextContent()).isEqualTo("com.acme");
    assertThat(pom.getElementsByTagName("version").item(1).getTextContent()).isEqualTo("9.9");
    NodeList goals = pom.getElementsByTagName("goal");
    assertThat(IntStream.range(0, goals.getLength()).mapToObj(i -> goals.item(i).getTextContent()))
        .containsExactly("validate", "build", "verify");
  }

  @Test
  void nothingIsReplacedAndWhatExistsIsReportedAsKept() throws Exception {
    Path model = Files.writeString(downloads.resolve("forecaster.pt"), "new model");
    Files.createDirectories(repo.resolve("model"));
    Files.writeString(repo.resolve("pom.xml"), "my pom");
    Files.writeString(repo.resolve("model/forecaster.pt"), "my model");
    Files.writeString(repo.resolve("model/model-contract.yaml"), "mine");

    assertThat(files().hasContract()).isTrue();
    StarterFiles.Result result = files().write(model, StarterFiles.pom(PROJECT, PLUGIN), Optional.empty());

    assertThat(result.kept()).containsExactly(repo.resolve("pom.xml"), repo.resolve("model/forecaster.pt"),
        repo.resolve("model/model-contract.yaml"));
    assertThat(result.written()).containsExactly(repo.resolve("golden/README.md"));
    assertThat(repo.resolve("pom.xml")).hasContent("my pom");
    assertThat(repo.resolve("model/forecaster.pt")).hasContent("my model");
    assertThat(repo.resolve("model/model-contract.yaml")).hasContent("mine");
  }

  @Test
  void aModelNamedWithoutAPathIsTheOneInTheModelFolder() throws Exception {
    Path inModel = Files.writeString(Files.createDirectories(repo.resolve("model")).resolve("model.pt"), "x");

    assertThat(files().locateModel("model.pt")).isEqualTo(inModel);
    assertThatThrownBy(() -> files().locateModel("missing.pt")).isInstanceOf(DraftException.class)
        .hasMessageContaining("missing.pt").hasMessageContaining("-Dmodelcontract.init.modelFile=PATH");
  }
}
