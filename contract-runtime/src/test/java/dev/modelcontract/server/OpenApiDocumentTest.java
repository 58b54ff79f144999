package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.inference.ExampleModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class OpenApiDocumentTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ModelContract contract(ExampleModel example) throws Exception {
    return new ContractReader().read(example.modelDir().resolve(ContractReader.FILE_NAME));
  }

  private static Schema compile(JsonNode schema) {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
  }

  private static List<JsonNode> goldenFiles(ExampleModel example) throws Exception {
    try (Stream<Path> files = Files.list(example.goldenDir())) {
      return files.filter(file -> file.toString().endsWith(".json")).sorted().map(file -> JSON.readTree(file.toFile()))
          .toList();
    }
  }

  @ParameterizedTest
  @EnumSource(ExampleModel.class)
  void everyGoldenRequestAndResponseOfEveryExampleFitsTheSchemas(ExampleModel example) throws Exception {
    OpenApiDocument openApi = OpenApiDocument.of(contract(example));
    Schema requests = compile(openApi.requestSchema());

    for (JsonNode golden : goldenFiles(example)) {
      assertThat(requests.validate(golden.get("request"))).as(golden.path("description").asString()).isEmpty();
      assertThat(openApi.responseProblems(JSON.writeValueAsBytes(golden.get("response"))))
          .as(golden.path("description").asString()).isEmpty();
    }
  }

  @Test
  void tensorsAreNestedArraysBoundedByTheDimsAndTheFormsAreNamedOrUnderInputs() throws Exception {
    ObjectNode document = OpenApiDocument.of(contract(ExampleModel.LSTM_TWO_INPUTS)).document("lstm", "1.0.0");

    assertThat(document.get("openapi").asString()).isEqualTo("3.1.0");
    JsonNode schema = document.at("/paths/~1invocations/post/requestBody/content/application~1json/schema");
    JsonNode input1 = schema.at("/oneOf/0/properties/input_1");
    JsonNode batched = input1.at("/oneOf/0");
    assertThat(batched.get("minItems").asLong()).isEqualTo(1);
    assertThat(batched.get("maxItems").asLong()).isEqualTo(64);
    assertThat(batched.at("/items/maxItems").asLong()).isEqualTo(512);
    assertThat(batched.at("/items/items/minItems").asLong()).isEqualTo(4);
    assertThat(batched.at("/items/items/items/type").asString()).isEqualTo("number");
    assertThat(input1.at("/oneOf/1/maxItems").asLong()).as("unbatched: T first").isEqualTo(512);
    assertThat(schema.at("/oneOf/1/required/0").asString()).isEqualTo("inputs");
    assertThat(document.at("/paths/~1invocations/post/responses/422/content/application~1problem+json")).isNotNull();
  }

  @Test
  void answersOfTheWrongShapeOrWithAnUnknownOutputDisagree() throws Exception {
    OpenApiDocument openApi = OpenApiDocument.of(contract(ExampleModel.LSTM_TWO_INPUTS));

    assertThat(openApi.responseProblems("{\"output_1\": [[1.0]], \"output_2\": [[1.0, 2.0]]}".getBytes()))
        .isNotEmpty().allMatch(problem -> problem.contains("/output_2"));
    assertThat(openApi.responseProblems("{\"output_1\": [[1.0]], \"output_2\": [[1, 2, 3]], \"x\": 1}".getBytes()))
        .isNotEmpty();
    assertThat(openApi.responseProblems("{\"output_1\": [[1.0]], \"output_2\": [[1, 2, 3]]}".getBytes())).isEmpty();
  }

  @Test
  void labelledOutputsAreStringsOfTheLabelsAndIntegerInputsAreBoundedByTheirRange() throws Exception {
    ObjectNode document = OpenApiDocument.of(contract(ExampleModel.TWO_ARGS_DICT)).document("dict", "1");
    String text = document.toString();

    assertThat(text).contains("\"enum\":[\"bear\",\"flat\",\"bull\"]");
    ObjectNode tokens = OpenApiDocument.of(contract(ExampleModel.TOKEN_CLASSIFIER)).requestSchema();
    assertThat(tokens.toString()).contains("\"type\":\"boolean\"")
        .contains("{\"type\":\"integer\",\"minimum\":0,\"maximum\":49}");
  }
}
