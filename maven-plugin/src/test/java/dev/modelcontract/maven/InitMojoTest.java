package dev.modelcontract.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import java.io.File;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The init goal as Maven runs it in an empty folder: parameters in, a model repo out, nothing replaced. */
class InitMojoTest {

  @TempDir
  Path parent;

  @Test
  void inAnEmptyFolderInitWritesThePomTheModelAndADraftedContract() throws Exception {
    Path repo = Files.createDirectories(parent.resolve("store-demand"));
    List<String> log = new ArrayList<>();

    init(repo, resource("forecaster.pt").toString(), resource("sample.json").toFile(), log).execute();

    assertThat(Files.readString(repo.resolve("pom.xml"))).contains("<artifactId>store-demand</artifactId>")
        .contains("<groupId>com.example</groupId>").contains("<version>1.0.0-SNAPSHOT</version>")
        .contains("<artifactId>model-contract-maven-plugin</artifactId>").contains("<version>0.0.0-TEST</version>");
    assertThat(repo.resolve("model/forecaster.pt")).hasSameBinaryContentAs(resource("forecaster.pt"));
    ModelContract contract = new ContractReader().read(repo.resolve("model/model-contract.yaml"));
    assertThat(contract.model().file()).isEqualTo("forecaster.pt");
    assertThat(contract.inputNames()).containsExactly("store_id", "history", "calendar");
    assertThat(contract.outputNames()).containsExactly("forecast", "p_stockout");
    assertThat(repo.resolve("golden/README.md")).exists();
    assertThat(log).contains("INFO Wrote pom.xml", "INFO Wrote model/forecaster.pt",
        "INFO Wrote model/model-contract.yaml", "INFO Wrote golden/README.md",
        "INFO Drafted the contract from forward(store_id: Tensor, history: Tensor, calendar: Tensor)"
            + " -> Dict[str, Tensor] and runs on sample.json");
  }

  @Test
  void aSecondRunKeepsEveryFileAndSaysSo() throws Exception {
    Path repo = Files.createDirectories(parent.resolve("repo"));
    init(repo, resource("forecaster.pt").toString(), null, new ArrayList<>()).execute();
    Files.writeString(repo.resolve("model/model-contract.yaml"), "# mine\n");
    List<String> log = new ArrayList<>();

    init(repo, resource("forecaster.pt").toString(), resource("sample.json").toFile(), log).execute();

    assertThat(repo.resolve("model/model-contract.yaml")).hasContent("# mine");
    assertThat(log).contains("INFO Kept pom.xml, which exists: init replaces nothing",
        "INFO Kept model/model-contract.yaml, which exists: init replaces nothing");
    assertThat(log).noneMatch(line -> line.startsWith("INFO Wrote") || line.startsWith("INFO Drafted"));
  }

  @Test
  void withoutASampleTheLogCountsTheMarksLeft() throws Exception {
    Path repo = Files.createDirectories(parent.resolve("repo"));
    List<String> log = new ArrayList<>();

    init(repo, resource("forecaster.pt").toString(), null, log).execute();

    assertThat(log).anyMatch(line -> line.startsWith("INFO Next: write the 9 values marked FILL IN"));
  }

  @Test
  void withoutAModelInitFailsSayingWhichFileToGive() throws Exception {
    Path repo = Files.createDirectories(parent.resolve("repo"));

    assertThatThrownBy(() -> init(repo, "model.pt", null, new ArrayList<>()).execute())
        .isInstanceOf(MojoFailureException.class).hasMessageContaining("-Dmodelcontract.init.modelFile=PATH");
    assertThat(repo).isEmptyDirectory();
  }

  @Test
  void theDescriptorLetsInitRunWithoutAProject() throws Exception {
    try (InputStream in = InitMojoTest.class.getResourceAsStream("/META-INF/maven/plugin.xml")) {
      Document descriptor = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
      NodeList mojos = descriptor.getElementsByTagName("mojo");
      for (int m = 0; m < mojos.getLength(); m++) {
        Element mojo = (Element) mojos.item(m);
        if (mojo.getElementsByTagName("goal").item(0).getTextContent().equals("init")) {
          assertThat(mojo.getElementsByTagName("requiresProject").item(0).getTextContent()).isEqualTo("false");
          return;
        }
      }
    }
    throw new AssertionError("no init goal in the descriptor");
  }

  /** The goal with the values Maven would inject in {@code repo}, logging into {@code log}. */
  private static InitMojo init(Path repo, String modelFile, File sample, List<String> log) throws Exception {
    InitMojo mojo = new InitMojo();
    mojo.modelDirectory = repo.resolve("model").toFile();
    mojo.goldenDirectory = repo.resolve("golden").toFile();
    set(mojo, "baseDirectory", repo.toFile());
    set(mojo, "modelFile", modelFile);
    set(mojo, "sample", sample);
    set(mojo, "groupId", "com.example");
    set(mojo, "version", "1.0.0-SNAPSHOT");
    set(mojo, "pluginGroupId", "dev.modelcontract");
    set(mojo, "pluginArtifactId", "model-contract-maven-plugin");
    set(mojo, "pluginVersion", "0.0.0-TEST");
    mojo.setLog(new SystemStreamLog() {
      @Override
      public void info(CharSequence content) {
        log.add("INFO " + content);
      }

      @Override
      public void warn(CharSequence content) {
        log.add("WARN " + content);
      }
    });
    return mojo;
  }

  private static void set(InitMojo mojo, String field, Object value) throws Exception {
    Field declared = InitMojo.class.getDeclaredField(field);
    declared.setAccessible(true);
    declared.set(mojo, value);
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(InitMojoTest.class.getResource("/init/" + name).toURI());
  }
}
