package dev.modelcontract.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.server.OpenApiDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document of every example, and a multi-model endpoint's, linted by Redocly CLI with its recommended
 * rules: no error, no warning. What this module's redocly.yaml turns off, it says why.
 */
class OpenApiLintTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
  private static final List<String> MODELS = List.of("lstm-two-inputs", "house-prices", "token-classifier",
      "two-args-dict");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void redoclyFindsNoProblemInTheDocumentOfAnyExampleNorInTheMultiModelOne(@TempDir Path dir) throws Exception {
    List<Path> documents = new ArrayList<>();
    for (String example : MODELS) {
      documents.add(Files.writeString(dir.resolve(example + ".json"), OpenApiDocument.of(new ContractReader()
          .read(EXAMPLES.resolve(example).resolve("model").resolve(ContractReader.FILE_NAME))).json(example,
          "1.0.0")));
    }
    documents.add(Files.writeString(dir.resolve("multi-model.json"), OpenApiDocument.multiModel().json("multi-model",
        "1.0.0")));
    List<String> arguments = new ArrayList<>(List.of("lint", "--config", "redocly.yaml", "--format=json"));
    documents.forEach(document -> arguments.add(document.toString()));
    Process lint = NodeTools.command("redocly", arguments.toArray(String[]::new))
        .redirectError(dir.resolve("redocly.log").toFile()).start();
    String output = new String(lint.getInputStream().readAllBytes());
    assertThat(lint.waitFor(60, TimeUnit.SECONDS)).isTrue();

    List<JsonNode> reports = new ArrayList<>();
    try (MappingIterator<JsonNode> each = JSON.readerFor(JsonNode.class).readValues(output)) {
      each.forEachRemaining(reports::add);
    }
    List<String> problems = new ArrayList<>();
    reports.forEach(report -> report.get("problems").forEach(problem -> problems.add(problem.path("severity")
        .asString() + " " + problem.path("ruleId").asString() + " at " + problem.at("/location/0/source/ref")
        .asString() + problem.at("/location/0/pointer").asString() + ": " + problem.path("message").asString())));
    assertThat(reports).as("one report per document: %s", output).hasSize(documents.size());
    assertThat(problems).isEmpty();
    assertThat(lint.exitValue()).as(Files.readString(dir.resolve("redocly.log"))).isZero();
  }
}
