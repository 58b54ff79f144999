package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.enforcement.TestContracts;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.ElementType;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.RequestBody;
import dev.modelcontract.tensors.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class OpenApiDocumentTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String INVOKE = "/paths/~1invocations/post";

  private static ModelContract contract(ExampleModel example) throws Exception {
    return new ContractReader().read(example.modelDir().resolve(ContractReader.FILE_NAME));
  }

  private static ObjectNode document(ExampleModel example) throws Exception {
    return OpenApiDocument.of(contract(example)).document(example.folder(), "1.0.0");
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

  private static List<String> names(JsonNode object) {
    return new ArrayList<>(object.propertyNames());
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

  @ParameterizedTest
  @EnumSource(ExampleModel.class)
  void theRequestAndAnswerTypesAreTheServersOwnAndNoOthers(ExampleModel example) throws Exception {
    BodyFormats formats = new BodyFormats(contract(example), Long.MAX_VALUE);
    JsonNode document = document(example);

    assertThat(names(document.at(INVOKE + "/requestBody/content"))).isEqualTo(formats.requestTypes());
    assertThat(names(document.at(INVOKE + "/responses/200/content"))).isEqualTo(formats.answerTypes());
  }

  @Test
  void aTwoInputModelIsSentNeitherNpyNorCsvAndJsonLinesAreAnsweredInJsonLinesAndCsvAlsoInCsv() throws Exception {
    JsonNode lstm = document(ExampleModel.LSTM_TWO_INPUTS);
    JsonNode houses = document(ExampleModel.HOUSE_PRICES);

    assertThat(names(lstm.at(INVOKE + "/requestBody/content")))
        .containsExactly(MediaTypes.JSON, MediaTypes.JSON_LINES, MediaTypes.NPZ);
    assertThat(names(lstm.at(INVOKE + "/responses/200/content")))
        .as("two outputs: no .npy answer").containsExactly(MediaTypes.JSON, MediaTypes.NPZ, MediaTypes.JSON_LINES);
    assertThat(names(houses.at(INVOKE + "/requestBody/content")))
        .containsExactly(MediaTypes.JSON, MediaTypes.JSON_LINES, MediaTypes.NPZ, MediaTypes.NPY, MediaTypes.CSV);
    assertThat(names(houses.at(INVOKE + "/responses/200/content")))
        .as("CSV answers CSV requests").containsExactly(MediaTypes.JSON, MediaTypes.NPZ, MediaTypes.NPY,
            MediaTypes.JSON_LINES, MediaTypes.CSV);
  }

  /**
   * Each JSON form as the server reads it, answered by the envelope the server answers it with: the request fits the
   * request schema, the answer the answer schema (Prism flagged {@code instances} and the {@code outputs} answer to
   * {@code inputs} when the document knew only the named form).
   */
  @Test
  void everyJsonFormAndTheAnswerItsEnvelopeWritesFitTheSchemas() throws Exception {
    ModelContract contract = contract(ExampleModel.LSTM_TWO_INPUTS);
    OpenApiDocument openApi = OpenApiDocument.of(contract);
    Schema requests = compile(openApi.requestSchema());
    Schema answers = compile(openApi.answerSchema());
    String input1 = "[[[101, 99, 103, 100], [102, 98, 104, 101]]]";
    String input2 = "[[[15000, 0.5], [16000, 0.25]]]";
    Map<String, String> forms = new LinkedHashMap<>();
    forms.put("named", "{\"input_1\": " + input1 + ", \"input_2\": " + input2 + "}");
    forms.put("inputs", "{\"inputs\": {\"input_1\": " + input1 + ", \"input_2\": " + input2 + "}}");
    forms.put("instances", "{\"instances\": [{\"input_1\": [[101, 99, 103, 100], [102, 98, 104, 101]],"
        + " \"input_2\": [[15000, 0.5], [16000, 0.25]]}]}");
    forms.put("open inference", "{\"id\": \"r1\", \"inputs\": ["
        + "{\"name\": \"input_1\", \"shape\": [1, 2, 4], \"datatype\": \"FP32\", \"data\": [101, 99, 103, 100, 102, 98,"
        + " 104, 101]}, {\"name\": \"input_2\", \"shape\": [1, 2, 2], \"datatype\": \"FP32\", \"data\": " + input2
        + "}], \"outputs\": [{\"name\": \"output_1\"}]}");
    Map<String, Tensor> outputs = Map.of(
        "output_1", new FloatTensor(new long[] {1, 1}, new float[] {99.5f}),
        "output_2", new FloatTensor(new long[] {1, 3}, new float[] {0.1f, Float.NaN, -0.2f}));

    List<String> answered = new ArrayList<>();
    for (Map.Entry<String, String> form : forms.entrySet()) {
      RequestBody request = JsonTensorReader.forInputs(contract).readRequest(form.getValue().getBytes(
          StandardCharsets.UTF_8), 0, form.getValue().length());
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      request.envelope().writeAnswer(new JsonTensorWriter(), "model", new LinkedHashMap<>(outputs), answer);
      answered.add(answer.toString(StandardCharsets.UTF_8));

      assertThat(requests.validate(JSON.readTree(form.getValue()))).as(form.getKey()).isEmpty();
      assertThat(answers.validate(JSON.readTree(answer.toByteArray()))).as(form.getKey() + ": " + answer).isEmpty();
    }
    assertThat(answered).as("one answer per form, each wrapped as its request was")
        .anyMatch(answer -> answer.startsWith("{\"outputs\":{"))
        .anyMatch(answer -> answer.startsWith("{\"predictions\":["))
        .anyMatch(answer -> answer.startsWith("{\"model_name\":\"model\",\"id\":\"r1\",\"outputs\":["));
  }

  @Test
  void requestsTheServerRefusesFitNoForm() throws Exception {
    Schema requests = compile(OpenApiDocument.of(contract(ExampleModel.LSTM_TWO_INPUTS)).requestSchema());

    for (String refused : List.of(
        "{\"input_1\": [[[1, 2, 3, 4]]], \"input_2\": [[1, 2]]}", // one input batched, the other not
        "{\"input_1\": [[[1, 2, 3, 4e39]]], \"input_2\": [[[1, 2]]]}", // beyond float32
        "{\"inputs\": {\"input_1\": [[[1, 2, 3, 4]]], \"input_2\": [[[1, 2]]]}, \"id\": \"x\"}", // 'inputs' form + id
        "{\"inputs\": [{\"name\": \"input_1\", \"shape\": [1, 1, 4], \"datatype\": \"FP64\", \"data\": [1, 2, 3, 4]},"
            + " {\"name\": \"input_2\", \"shape\": [1, 1, 2], \"datatype\": \"FP32\", \"data\": [1, 2]}]}",
        "{\"instances\": []}")) {
      assertThat(requests.validate(JSON.readTree(refused))).as(refused).isNotEmpty();
    }
  }

  @Test
  void aFormIsListedOnlyWhereTheServerReadsIt() {
    ModelContract unbatched = TestContracts.read("""
        version: 1
        model: {file: model.pt}
        dims:
          T: {min: 1, max: 10}
        inputs:
          - name: inputs
            dtype: float32
            shape: [T, 4]
        forward:
          arguments:
            - input: inputs
          returns: tensor
        outputs:
          - name: y
            dtype: float32
            shape: [T, 1]
        """);

    JsonNode request = OpenApiDocument.of(unbatched).requestSchema();

    assertThat(request.has("oneOf")).as("no 'inputs' wrapper: an input has that name; no 'instances': no batch axis")
        .isFalse();
    assertThat(names(request.get("properties"))).containsExactly("inputs");
  }

  @ParameterizedTest
  @EnumSource(ExampleModel.class)
  void everyRouteTheServerServesHasOperationsWithIds(ExampleModel example) throws Exception {
    JsonNode paths = document(example).get("paths");

    assertThat(names(paths)).containsExactlyElementsOf(Routes.SERVED);
    List<String> ids = new ArrayList<>();
    paths.forEach(path -> path.forEach(operation -> ids.add(operation.path("operationId").asString(null))));
    assertThat(ids).doesNotContainNull().doesNotHaveDuplicates()
        .contains("invoke", "ping", "pingHead", "executionParameters", "metrics", "serverLive", "serverReady",
            "serverMetadata", "modelMetadata", "modelReady", "modelInfer");
  }

  @Test
  void theOpenInferenceRoutesNameTheModelTakeTheProtocolsBodyAndRefuseWithItsErrorMember() throws Exception {
    ObjectNode document = OpenApiDocument.of(contract(ExampleModel.LSTM_TWO_INPUTS), "lstm-two-inputs")
        .document("lstm-two-inputs", "1.0.0");
    JsonNode infer = document.at("/paths/~1v2~1models~1{model_name}~1infer/post");

    assertThat(infer.at("/parameters/0/name").asString()).isEqualTo("model_name");
    assertThat(infer.at("/parameters/0/schema/default").asString()).isEqualTo("lstm-two-inputs");
    assertThat(names(infer.at("/requestBody/content"))).containsExactly("application/json");
    assertThat(infer.at("/requestBody/content/application~1json/schema/required/0").asString()).isEqualTo("inputs");
    assertThat(infer.at("/responses/200/content/application~1json/schema/properties/model_name/const").asString())
        .isEqualTo("lstm-two-inputs");
    assertThat(infer.at("/responses/404/content/application~1problem+json/schema/allOf/0/$ref").asString())
        .isEqualTo("#/components/schemas/OpenInferenceError");
    assertThat(document.at("/components/schemas/OpenInferenceError/allOf/1/required/0").asString())
        .isEqualTo("error");
    JsonNode metadata = document.at("/paths/~1v2~1models~1{model_name}/get/responses/200/content/application~1json"
        + "/schema/const");
    assertThat(metadata.at("/inputs/0/shape").toString()).isEqualTo("[-1,-1,4]");
    assertThat(document.at("/paths/~1v2~1health~1ready/get/responses/503").isMissingNode()).isFalse();
  }

  /**
   * {@code GET /ping} answers a request refused from its head as any route does: 400 for a request that breaks
   * HTTP/1.1, 413 and 415 for a body too large or in an unknown coding, 503 when the body budget is spent; and 503
   * with {@code {"status": "loading"}} while the model loads.
   */
  @Test
  void pingListsTheRefusalsOfAnyRouteAndItsOwnStatusBodies() throws Exception {
    JsonNode ping = document(ExampleModel.HOUSE_PRICES).at("/paths/~1ping/get/responses");

    assertThat(names(ping)).containsExactly("200", "400", "408", "413", "414", "415", "417", "431", "500", "503",
        "505");
    assertThat(ping.at("/415/content/application~1problem+json/schema/allOf/1/properties/type/enum").toString())
        .contains("unsupported-content-encoding").doesNotContain("unsupported-media-type");
    assertThat(ping.at("/415/headers/Accept-Encoding")).isNotNull();
    assertThat(ping.at("/503/content/application~1json/schema/properties/status/enum").toString())
        .isEqualTo("[\"loading\",\"draining\"]");
    assertThat(ping.at("/503/headers/Retry-After").isMissingNode()).isFalse();
    assertThat(ping.at("/200/content/application~1json/schema/properties/status/enum").toString())
        .isEqualTo("[\"ready\"]");
  }

  @Test
  void invocationsListEveryProblemOfTheCatalogueButTheAnswersToUnservedPathsAndMethods() throws Exception {
    JsonNode responses = document(ExampleModel.LSTM_TWO_INPUTS).at(INVOKE + "/responses");
    List<String> types = new ArrayList<>();
    responses.forEach(response -> response.at("/content/application~1problem+json/schema/allOf/1/properties/type/enum")
        .forEach(type -> types.add(type.asString())));

    List<String> expected = new ArrayList<>();
    for (ProblemType type : ProblemType.values()) {
      // the /models routes' own problems are a multi-model endpoint's, which this single-model document leaves out
      if (type != ProblemType.NOT_FOUND && type != ProblemType.METHOD_NOT_ALLOWED && type != ProblemType.MODEL_EXISTS
          && type != ProblemType.MODEL_NOT_LOADABLE && type != ProblemType.INSUFFICIENT_MEMORY) {
        expected.add(type.uri());
      }
    }
    assertThat(types).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(responses.at("/422/description").asString()).contains("Request breaks the model contract");
  }

  @Test
  void theDocumentNamesItsServerAndThatTheContainerTakesNoCredentials() throws Exception {
    ObjectNode document = document(ExampleModel.LSTM_TWO_INPUTS);

    assertThat(document.at("/servers/0/url").asString()).isEqualTo("http://{host}:{port}");
    assertThat(document.at("/servers/0/variables/port/default").asString()).isEqualTo("8080");
    assertThat(document.get("security").isEmpty()).isTrue();
  }

  @Test
  void tensorsAreNestedArraysBoundedByTheDimsWithAndWithoutTheBatchAxis() throws Exception {
    ObjectNode document = document(ExampleModel.LSTM_TWO_INPUTS);

    assertThat(document.get("openapi").asString()).isEqualTo("3.1.0");
    JsonNode named = document.at(INVOKE + "/requestBody/content/application~1json/schema/oneOf/0/anyOf");
    JsonNode batched = named.at("/0/properties/input_1");
    assertThat(batched.get("minItems").asLong()).isEqualTo(1);
    assertThat(batched.get("maxItems").asLong()).isEqualTo(64);
    assertThat(batched.at("/items/maxItems").asLong()).isEqualTo(512);
    assertThat(batched.at("/items/items/minItems").asLong()).isEqualTo(4);
    assertThat(batched.at("/items/items/items/type").asString()).isEqualTo("number");
    assertThat(batched.at("/items/items/items/maximum").asDouble()).as("float32's largest, as the server reads it")
        .isEqualTo(ElementType.largestMagnitude(DType.FLOAT32));
    assertThat(named.at("/1/properties/input_1/maxItems").asLong()).as("unbatched: T first").isEqualTo(512);
  }

  @Test
  void answersOfTheWrongShapeOrWithAnUnknownOutputDisagree() throws Exception {
    OpenApiDocument openApi = OpenApiDocument.of(contract(ExampleModel.LSTM_TWO_INPUTS));

    assertThat(openApi.responseProblems("{\"output_1\": [[1.0]], \"output_2\": [[1.0, 2.0]]}".getBytes()))
        .contains("/output_2/0: must have at least 3 items but found 2");
    assertThat(openApi.responseProblems("{\"output_1\": [[1.0]], \"output_2\": [[1, 2, 3]], \"x\": 1}".getBytes()))
        .isNotEmpty();
    assertThat(openApi.responseProblems("{\"output_1\": [[1.0]], \"output_2\": [[1, 2, 3]]}".getBytes())).isEmpty();
    assertThat(openApi.responseProblems("{\"output_1\": [[1.0]], \"output_2\": [[1, \"NaN\", 3]]}".getBytes()))
        .as("the server writes NaN as a string").isEmpty();
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

  @Test
  void theMultiModelDocumentListsTheMultiModelRoutesWithOperationsWithIds() {
    JsonNode paths = OpenApiDocument.multiModel().document("multi-model", "1").get("paths");

    assertThat(names(paths)).containsExactlyElementsOf(Routes.MULTI_MODEL_SERVED).doesNotContain(Routes.INVOCATIONS);
    List<String> ids = new ArrayList<>();
    paths.forEach(path -> path.forEach(operation -> ids.add(operation.path("operationId").asString(null))));
    assertThat(ids).doesNotContainNull().doesNotHaveDuplicates()
        .contains("loadModel", "listModels", "listModelsHead", "describeModel", "unloadModel", "invokeModel", "ping",
            "serverReady", "modelMetadata", "modelReady", "modelInfer");
    assertThat(names(paths.get("/models"))).containsExactly("post", "get", "head");
    assertThat(names(paths.get("/models/{model_name}"))).containsExactly("get", "head", "delete");
  }

  @Test
  void theModelsRoutesListTheProblemsTheyAnswer() {
    JsonNode paths = OpenApiDocument.multiModel().document("multi-model", "1").get("paths");
    JsonNode load = paths.at("/~1models/post");

    assertThat(problemTypes(load.get("responses"), "409")).containsExactly(ProblemType.MODEL_EXISTS.uri());
    assertThat(problemTypes(load.get("responses"), "422")).containsExactly(ProblemType.MODEL_NOT_LOADABLE.uri());
    assertThat(problemTypes(load.get("responses"), "507")).containsExactly(ProblemType.INSUFFICIENT_MEMORY.uri());
    assertThat(problemTypes(load.get("responses"), "400")).contains(ProblemType.MALFORMED_BODY.uri());
    assertThat(load.at("/requestBody/content/application~1json/schema/required").toString())
        .isEqualTo("[\"model_name\",\"url\"]");
    JsonNode list = paths.at("/~1models/get");
    assertThat(list.get("parameters").findValuesAsString("name")).containsExactly("limit", "next_page_token");
    assertThat(names(list.at("/responses/200/content/application~1json/schema/properties")))
        .containsExactly("models", "nextPageToken");
    for (String operation : List.of("/~1models~1{model_name}/get", "/~1models~1{model_name}/delete",
        "/~1models~1{model_name}~1invoke/post")) {
      assertThat(problemTypes(paths.at(operation + "/responses"), "404")).as(operation)
          .containsExactly(ProblemType.NOT_FOUND.uri());
      assertThat(paths.at(operation + "/parameters/0/name").asString()).isEqualTo("model_name");
    }
    assertThat(problemTypes(paths.at("/~1models~1{model_name}~1invoke/post/responses"), "422"))
        .containsExactly(ProblemType.CONTRACT_VIOLATION.uri(), ProblemType.INPUT_SKEW.uri());
    assertThat(paths.at("/~1models~1{model_name}/get/responses/200/content/application~1json/schema/properties"
        + "/status/enum").toString()).isEqualTo("[\"LOADING\",\"READY\",\"UNLOADING\"]");
    assertThat(paths.at("/~1ping/get/responses/503/content/application~1json/schema/properties/status/enum")
        .toString()).as("no model to load at start").isEqualTo("[\"draining\"]");
  }

  @Test
  void theMultiModelDocumentTakesEveryBodyTypeSinceItsContractsAreKnownOnlyOnceLoaded() {
    OpenApiDocument multiModel = OpenApiDocument.multiModel();
    JsonNode invoke = multiModel.document("multi-model", "1").at("/paths/~1models~1{model_name}~1invoke/post");

    assertThat(names(invoke.at("/requestBody/content"))).containsExactly(MediaTypes.JSON, MediaTypes.JSON_LINES,
        MediaTypes.NPZ, MediaTypes.NPY, MediaTypes.CSV);
    assertThat(names(invoke.at("/responses/200/content"))).containsExactly(MediaTypes.JSON, MediaTypes.NPZ,
        MediaTypes.NPY, MediaTypes.JSON_LINES, MediaTypes.CSV);
    assertThat(invoke.get("parameters").findValuesAsString("name")).contains(ModelsHandler.TARGET_MODEL);
    assertThatThrownBy(multiModel::requestSchema).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("multi-model");
  }

  private static List<String> problemTypes(JsonNode responses, String status) {
    List<String> types = new ArrayList<>();
    responses.at("/" + status + "/content/application~1problem+json/schema/allOf/1/properties/type/enum")
        .forEach(type -> types.add(type.asString()));
    return types;
  }
}
