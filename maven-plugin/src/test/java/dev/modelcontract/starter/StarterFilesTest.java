package dev.modelcontract.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StarterFilesTest {

  @TempDir
  Path repo;

  @Test
  void theStarterContractIsValidAsWrittenAndNamesTheModelFile() throws Exception {
    StarterFiles.write(repo.resolve("model"), "net.pt", repo.resolve("golden"));

    ModelContract contract = new ContractReader().read(repo.resolve("model/model-contract.yaml"));

    assertThat(contract.model().file()).isEqualTo("net.pt");
    assertThat(contract.inputNames()).containsExactly("input");
    assertThat(contract.outputNames()).containsExactly("output");
    assertThat(repo.resolve("golden/README.md")).content().contains("\"request\"").contains("model-contract:record");
  }

  @Test
  void nothingIsReplaced() throws Exception {
    Path model = Files.createDirectories(repo.resolve("model"));
    Files.writeString(model.resolve("model-contract.yaml"), "mine");

    assertThatThrownBy(() -> StarterFiles.write(model, "model.pt", repo.resolve("golden")))
        .isInstanceOf(IOException.class).hasMessageContaining("exists");
    assertThat(model.resolve("model-contract.yaml")).hasContent("mine");
    assertThat(repo.resolve("golden")).doesNotExist();
  }
}
