package dev.modelcontract.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.container.ContainerTemplate;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ContractSchema;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.hosting.EnvironmentVariable;
import dev.modelcontract.hosting.ImageCommand;
import dev.modelcontract.hosting.KServeHosting;
import dev.modelcontract.hosting.SageMakerHosting;
import dev.modelcontract.server.ProblemType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Keeps the docs true: documented contracts parse, every field is documented, documented commands exist. */
class DocumentationTest {

  private static final Path DOCS = Path.of(System.getProperty("docs.dir", "."));
  private static final Path REPOSITORY = Path.of(System.getProperty("repository.dir", ".."));
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyContractInTheDocsIsReadByTheContractReader() throws Exception {
    List<String> contracts = contractBlocks();

    assertThat(contracts).isNotEmpty();
    for (String yaml : contracts) {
      new ContractReader().read("docs", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void theReferenceShowsTheExampleRepositorysContract() throws Exception {
    ModelContract documented = new ContractReader().read("contract.md",
        new ByteArrayInputStream(contractBlocks(DOCS.resolve("contract.md")).get(0).getBytes(StandardCharsets.UTF_8)));
    ModelContract example = new ContractReader().read(
        REPOSITORY.resolve("examples/lstm-two-inputs/model/model-contract.yaml"));

    assertThat(documented.model()).isEqualTo(example.model());
    assertThat(documented.dims()).isEqualTo(example.dims());
    assertThat(documented.batch()).isEqualTo(example.batch());
    assertThat(documented.forward()).isEqualTo(example.forward());
    assertThat(documented.inputs()).isEqualTo(example.inputs());
    assertThat(documented.outputs()).isEqualTo(example.outputs());
  }

  @Test
  void theReferenceDocumentsEveryFieldOfTheSchema() throws Exception {
    String reference = Files.readString(DOCS.resolve("contract.md"));
    JsonNode schema;
    try (InputStream in = ContractSchema.class.getResourceAsStream(ContractSchema.RESOURCE)) {
      schema = JsonMapper.builder().build().readTree(in);
    }
    TreeSet<String> fields = new TreeSet<>();
    collectPropertyNames(schema, fields);
    fields.remove("$schema");

    assertThat(fields).isNotEmpty();
    assertThat(fields).allSatisfy(field -> assertThat(reference).contains("`" + field + "`"));
  }

  @Test
  void theReferenceLinksTheSchemaFileThatExists() throws Exception {
    String reference = Files.readString(DOCS.resolve("contract.md"));
    Matcher link = Pattern.compile("\\]\\(\\.\\./([^)]+\\.schema\\.json)\\)").matcher(reference);

    assertThat(link.find()).isTrue();
    assertThat(REPOSITORY.resolve(link.group(1))).isRegularFile();
  }

  @Test
  void theReadmesTwoCommandsExistAndAreExecutable() throws Exception {
    String readme = Files.readString(REPOSITORY.resolve("README.md"));

    for (String command : List.of("bin/demo", "bin/test")) {
      assertThat(readme).contains(command);
      assertThat(REPOSITORY.resolve(command)).isRegularFile().isExecutable();
    }
    assertThat(Files.readString(REPOSITORY.resolve(".ci/run"))).contains("bin/test");
  }

  @Test
  void theTestingGuidesQuotesOfTheExamplesAreTheExamplesCodeWithTheirImports() throws Exception {
    Map<Path, String> examples = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(REPOSITORY.resolve("examples"))) {
      for (Path file : files.filter(file -> file.toString().endsWith(".java"))
          .filter(file -> !file.toString().contains("/target/")).sorted().toList()) {
        examples.put(file, Files.readString(file));
      }
    }
    int quoted = 0;
    for (JavaSnippet snippet : javaSnippets(DOCS.resolve("testing.md"))) {
      if (snippet.isCompilationUnit()) {
        continue;
      }
      quoted++;
      Path source = examples.entrySet().stream().filter(example -> example.getValue().contains(snippet.body()))
          .map(Map.Entry::getKey).findFirst()
          .orElseThrow(() -> new AssertionError("no example holds the snippet:\n" + snippet.body()));
      assertThat(snippet.imports()).as("the imports of " + source).isNotEmpty()
          .allSatisfy(line -> assertThat(examples.get(source)).contains("\n" + line + "\n"));
    }

    assertThat(quoted).isEqualTo(2);
  }

  @Test
  void everyJavaSnippetOfTheTestingGuideCompilesAgainstTheKit(@TempDir Path folder) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<JavaSnippet> snippets = javaSnippets(DOCS.resolve("testing.md"));

    assertThat(snippets).hasSizeGreaterThanOrEqualTo(5);
    for (int i = 0; i < snippets.size(); i++) {
      // each on its own: two snippets may well declare the same class
      Path source = Files.writeString(Files.createDirectories(folder.resolve("snippet" + i)).resolve("Snippet.java"),
          snippets.get(i).compilationUnit());
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
        boolean compiled = javac.getTask(null, files, diagnostics, List.of("-proc:none", "-d",
                folder.resolve("snippet" + i).toString(), "-classpath", System.getProperty("java.class.path")), null,
            files.getJavaFileObjects(source)).call();
        assertThat(compiled).as("snippet %d of testing.md:%n%s%n%s", i + 1, snippets.get(i).compilationUnit(),
            diagnostics.getDiagnostics().stream().map(found -> "line " + found.getLineNumber() + ": "
                + found.getMessage(Locale.ROOT)).collect(Collectors.joining("\n"))).isTrue();
      }
    }
  }

  /**
   * A Java block of a page: its import lines, then the rest. A block whose rest declares a top-level type is a whole
   * file; any other holds members of a class, quoted from an example, with the imports they need above them.
   */
  private record JavaSnippet(List<String> imports, String body) {

    private static final Pattern TYPE = Pattern.compile("(?m)^(?:public |final |abstract )*(?:class|record|interface|"
        + "enum) ");

    boolean isCompilationUnit() {
      return TYPE.matcher(body).find();
    }

    /** The block as a file: as it stands, or its members in a class of their own. */
    String compilationUnit() {
      String header = String.join("\n", imports) + "\n\n";
      return isCompilationUnit() ? header + body : header + "class Snippet {\n" + body + "}\n";
    }
  }

  private static List<JavaSnippet> javaSnippets(Path page) throws IOException {
    Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(page));
    List<JavaSnippet> snippets = new ArrayList<>();
    while (block.find()) {
      List<String> lines = block.group(1).lines().toList();
      int first = 0;
      while (first < lines.size() && (lines.get(first).startsWith("import ") || lines.get(first).isBlank())) {
        first++;
      }
      snippets.add(new JavaSnippet(lines.subList(0, first).stream().filter(line -> !line.isBlank()).toList(),
          String.join("\n", lines.subList(first, lines.size())).stripTrailing() + "\n"));
    }
    return snippets;
  }

  @Test
  void everyExampleFileTheCallingGuideSendsExists() throws Exception {
    Matcher file = Pattern.compile("examples/[\\w./-]+\\.(?:npy|npz|csv|json)").matcher(
        Files.readString(DOCS.resolve("calling.md")));
    List<String> files = new ArrayList<>();
    while (file.find()) {
      files.add(file.group());
    }

    assertThat(files).hasSizeGreaterThanOrEqualTo(3);
    assertThat(files).allSatisfy(path -> assertThat(REPOSITORY.resolve(path)).isRegularFile());
  }

  @Test
  void theTutorialSectionsThePluginsErrorsNameExist() throws Exception {
    String tutorial = Files.readString(DOCS.resolve("tutorial.md"));

    for (String section : List.of("The base image", "Installing the plugin")) {
      assertThat(tutorial).contains("\n## " + section + "\n");
    }
  }

  @Test
  void theConfigurationPageListsEveryEnvironmentVariableTheImageReadsOnce() throws Exception {
    Map<String, String> documented = tableRows(DOCS.resolve("configuration.md"), "[A-Z][A-Z0-9_]+");

    assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(EnvironmentVariable.values()).map(Enum::name).toList());
  }

  @Test
  void theConfigurationPageGivesTheHostingDefaultsTheCodeUses() throws Exception {
    Map<String, String> settings = tableRows(DOCS.resolve("configuration.md"), "[A-Z][A-Z0-9_]+");
    Map<String, String> commands = tableRows(DOCS.resolve("configuration.md"), "[a-z-]+");

    assertThat(settings.get("SAGEMAKER_BIND_TO_PORT")).startsWith("`" + SageMakerHosting.PORT + "` |");
    assertThat(settings.get("MODEL_CONTRACT_MAX_REQUEST_BYTES")).startsWith("`" + SageMakerHosting.MAX_BODY_BYTES
        + "` (6 MiB,");
    assertThat(settings.get("MODEL_CONTRACT_MODEL_DIR")).startsWith("`" + SageMakerHosting.MODEL_DIRECTORY + "` (`"
        + KServeHosting.MODEL_DIRECTORY + "` where");
    assertThat(settings.get("PORT")).startsWith("`" + SageMakerHosting.PORT + "` |");
    assertThat(commands.keySet()).containsExactlyElementsOf(
        Arrays.stream(ImageCommand.values()).map(ImageCommand::argument).toList());
    assertThat(commands.get("serve")).contains("port " + SageMakerHosting.PORT + ", with the model in `"
        + SageMakerHosting.MODEL_DIRECTORY + "`");
  }

  @Test
  void theMemoryTableIsWhatTheEntrypointGivesTheJvm(@TempDir Path folder) throws Exception {
    Path entrypoint = Files.writeString(folder.resolve(ContainerTemplate.ENTRYPOINT), ContainerTemplate.entrypoint());
    Path bin = Files.createDirectory(folder.resolve("bin"));
    Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
    assertThat(java.toFile().setExecutable(true)).isTrue();
    Matcher row = Pattern.compile("(?m)^\\| (\\d+) (MiB|GiB) \\| (\\d+) MiB \\| (\\d+) MiB \\| (\\d+) MiB \\| (\\d+) MiB \\|$")
        .matcher(Files.readString(DOCS.resolve("configuration.md")));
    int rows = 0;
    for (; row.find(); rows++) {
      long memory = Long.parseLong(row.group(1)) << (row.group(2).equals("GiB") ? 30 : 20);
      ProcessBuilder run = new ProcessBuilder("sh", entrypoint.toString(), ImageCommand.SERVE.argument());
      run.environment().put("PATH", bin + ":" + System.getenv("PATH"));
      run.environment().put(EnvironmentVariable.MODEL_CONTRACT_MEMORY_BYTES.name(), Long.toString(memory));
      Process process = run.redirectErrorStream(true).start();
      List<String> arguments = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
          .toList();
      assertThat(process.waitFor()).isZero();

      long heap = Long.parseLong(row.group(3));
      long direct = Long.parseLong(row.group(4));
      assertThat(arguments).as(row.group()).contains("-Xmx" + heap + "m", "-XX:MaxDirectMemorySize=" + direct + "m",
          "-D" + SageMakerHosting.MEMORY_PROPERTY + "=" + (memory >> 20) + " MiB, MODEL_CONTRACT_MEMORY_BYTES");
      assertThat(Long.parseLong(row.group(5))).as("bodies in flight: half the heap").isEqualTo(heap / 2);
      assertThat(Long.parseLong(row.group(6))).as("the rest").isEqualTo((memory >> 20) - heap - direct);
    }
    assertThat(rows).as("rows of the memory table").isGreaterThanOrEqualTo(7);
  }

  @Test
  void theCallingGuideListsEveryProblemTypeWithItsStatus() throws Exception {
    Map<String, String> documented = tableRows(DOCS.resolve("calling.md"), "[a-z]+(?:-[a-z0-9]+)*");

    assertThat(documented.keySet()).containsExactlyElementsOf(
        Arrays.stream(ProblemType.values()).map(ProblemType::slug).toList());
    for (ProblemType type : ProblemType.values()) {
      assertThat(documented.get(type.slug())).as(type.slug()).startsWith(type.status() + " |");
    }
  }

  @Test
  void everyImageVariableTheDocsNameIsOneTheImageReads() throws Exception {
    List<Path> pages = new ArrayList<>(markdownPages());
    pages.add(REPOSITORY.resolve("README.md"));
    Pattern variable = Pattern.compile("\\b(?:SAGEMAKER|MODEL_CONTRACT)_[A-Z0-9_]+\\b");
    TreeSet<String> named = new TreeSet<>();
    for (Path page : pages) {
      Matcher matcher = variable.matcher(Files.readString(page));
      while (matcher.find()) {
        named.add(matcher.group());
      }
    }

    assertThat(named).contains("SAGEMAKER_BIND_TO_PORT", "MODEL_CONTRACT_MAX_REQUEST_BYTES");
    assertThat(named).allSatisfy(name -> assertThat(EnvironmentVariable.valueOf(name)).isNotNull());
  }

  /** The rows of a page's tables whose first cell is a code span matching {@code key}: key to the rest of the row. */
  private static Map<String, String> tableRows(Path page, String key) throws IOException {
    Matcher row = Pattern.compile("(?m)^\\| `(" + key + ")` \\| (.*)$").matcher(Files.readString(page));
    Map<String, String> rows = new LinkedHashMap<>();
    while (row.find()) {
      assertThat(rows.put(row.group(1), row.group(2))).as("a second row for " + row.group(1)).isNull();
    }
    return rows;
  }

  private static List<Path> markdownPages() throws IOException {
    try (Stream<Path> files = Files.list(DOCS)) {
      return files.filter(file -> file.toString().endsWith(".md")).sorted().toList();
    }
  }

  private static void collectPropertyNames(JsonNode node, TreeSet<String> names) {
    if (node.isObject()) {
      JsonNode properties = node.get("properties");
      if (properties != null && properties.isObject()) {
        properties.propertyNames().forEach(names::add);
      }
      node.values().forEach(child -> collectPropertyNames(child, names));
    } else if (node.isArray()) {
      node.values().forEach(child -> collectPropertyNames(child, names));
    }
  }

  private static List<String> contractBlocks() throws IOException {
    List<String> blocks = new ArrayList<>();
    for (Path page : markdownPages()) {
      blocks.addAll(contractBlocks(page));
    }
    blocks.addAll(contractBlocks(REPOSITORY.resolve("README.md")));
    return blocks;
  }

  /** The YAML blocks of a page that are whole contracts (they state the version). */
  private static List<String> contractBlocks(Path page) throws IOException {
    List<String> blocks = new ArrayList<>();
    Matcher matcher = YAML_BLOCK.matcher(Files.readString(page));
    while (matcher.find()) {
      if (matcher.group(1).contains("version: 1")) {
        blocks.add(matcher.group(1));
      }
    }
    return blocks;
  }
}
