package dev.modelcontract.contract;

import com.networknt.schema.InputFormat;
import com.networknt.schema.serialization.NodeReader;
import com.networknt.schema.serialization.node.TokenStreamLocationAware;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a contract file: YAML syntax, then the JSON Schema, then the rules a schema cannot state
 * ({@link ContractChecks}). Every problem names the file, line and field.
 */
public final class ContractReader {

  /** The contract's file name inside a model directory (and in the image's /opt/ml/model). */
  public static final String FILE_NAME = "model-contract.yaml";

  private static final NodeReader YAML = NodeReader.builder().locationAware().build();
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** Reads and checks the contract file. */
  public ModelContract read(Path file) throws ContractException {
    String name = file.toString();
    try (InputStream in = Files.newInputStream(file)) {
      return read(name, in);
    } catch (NoSuchFileException e) {
      throw new ContractException(name, List.of(new ContractProblem(name, "", "the file does not exist",
          "create it next to the model file, or point the build at the right directory")));
    } catch (IOException e) {
      throw new ContractException(name, List.of(new ContractProblem(name, "",
          "the file cannot be read (" + e.getMessage() + ")", "check its permissions")));
    }
  }

  /** Reads and checks a contract from a stream; {@code name} is how messages call the file. */
  public ModelContract read(String name, InputStream in) throws ContractException {
    JsonNode document;
    try {
      document = YAML.readTree(in, InputFormat.YAML);
    } catch (JacksonException e) {
      TokenStreamLocation at = e.getLocation();
      String where = at == null ? name : name + ":" + at.getLineNr() + ":" + at.getColumnNr();
      throw new ContractException(name, List.of(new ContractProblem(where, "",
          "the file is not valid YAML (" + e.getOriginalMessage() + ")", "fix the YAML syntax there")));
    }
    if (document == null || !document.isObject()) {
      throw new ContractException(name, List.of(new ContractProblem(name, "",
          "the file does not hold a YAML mapping", "start from the example in docs/contract.md")));
    }
    SourceMap source = new SourceMap(name, locations(document));
    List<ContractProblem> problems = ContractSchema.check(document, source);
    if (!problems.isEmpty()) {
      throw new ContractException(name, problems);
    }
    ModelContract contract = toContract(document, source);
    problems = ContractChecks.check(contract);
    if (!problems.isEmpty()) {
      throw new ContractException(name, problems);
    }
    return contract;
  }

  private static Map<String, SourceMap.Location> locations(JsonNode document) {
    Map<String, SourceMap.Location> lines = new HashMap<>();
    collect(document, "", lines);
    return lines;
  }

  private static void collect(JsonNode node, String pointer, Map<String, SourceMap.Location> lines) {
    if (node instanceof TokenStreamLocationAware located && located.tokenStreamLocation() != null) {
      TokenStreamLocation at = located.tokenStreamLocation();
      lines.put(pointer, new SourceMap.Location(at.getLineNr(), at.getColumnNr()));
    }
    if (node.isObject()) {
      node.properties().forEach(entry -> collect(entry.getValue(),
          pointer + "/" + JsonPointer.escape(entry.getKey()), lines));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), pointer + "/" + i, lines);
      }
    }
  }

  // The schema has passed: every field read below has the type the schema demands.
  private static ModelContract toContract(JsonNode document, SourceMap source) {
    Map<String, DimSpec> dims = new LinkedHashMap<>();
    JsonNode dimsNode = document.path("dims");
    dimsNode.properties().forEach(entry -> dims.put(entry.getKey(), new DimSpec(entry.getKey(),
        entry.getValue().path("min").asLong(1), entry.getValue().path("max").asLong(Long.MAX_VALUE))));

    Optional<BatchSpec> batch = Optional.empty();
    if (document.has("batch")) {
      JsonNode node = document.get("batch");
      batch = Optional.of(new BatchSpec(node.get("dim").asString(),
          node.path("unbatchedRequests").asBoolean(false)));
    }

    List<InputSpec> inputs = new ArrayList<>();
    Optional<SkewSpec> contractSkew = Optional.ofNullable(document.get("skew")).map(ContractReader::skew);
    JsonNode inputsNode = document.get("inputs");
    for (int i = 0; i < inputsNode.size(); i++) {
      JsonNode node = inputsNode.get(i);
      TensorShape shape = shape(node.get("shape"));
      Optional<Normalization> normalize = normalization(node.get("normalize"), shape);
      Optional<SkewSpec> skew = node.has("skew") ? Optional.of(skew(node.get("skew")))
          : normalize.isPresent() ? contractSkew.or(() -> Optional.of(SkewSpec.OBSERVED)) : Optional.empty();
      inputs.add(new InputSpec(node.get("name").asString(), dtype(node), shape, normalize,
          node.path("allowNonFinite").asBoolean(false), range(node.get("range")),
          node.has("default") ? Optional.of(JSON.writeValueAsString(node.get("default"))) : Optional.empty(),
          node.has("features") ? strings(node.get("features")) : List.of(), skew, "/inputs/" + i));
    }

    List<ForwardArgument> arguments = new ArrayList<>();
    for (JsonNode node : document.get("forward").get("arguments")) {
      int axis = node.path("axis").asInt(-1);
      if (node.has("input")) {
        arguments.add(new ForwardArgument.Input(node.get("input").asString()));
      } else if (node.has("concat")) {
        arguments.add(new ForwardArgument.Concat(strings(node.get("concat")), axis));
      } else if (node.has("stack")) {
        arguments.add(new ForwardArgument.Stack(strings(node.get("stack")), axis));
      } else {
        arguments.add(new ForwardArgument.Dict(strings(node.get("dict"))));
      }
    }
    ForwardSpec forward = new ForwardSpec(arguments,
        ForwardSpec.Returns.fromContractName(document.get("forward").get("returns").asString()));

    List<OutputSpec> outputs = new ArrayList<>();
    JsonNode outputsNode = document.get("outputs");
    for (int i = 0; i < outputsNode.size(); i++) {
      JsonNode node = outputsNode.get(i);
      TensorShape shape = shape(node.get("shape"));
      outputs.add(new OutputSpec(node.get("name").asString(),
          node.has("index") ? Optional.of(node.get("index").asInt()) : Optional.empty(),
          node.has("key") ? Optional.of(node.get("key").asString()) : Optional.empty(),
          dtype(node), shape, normalization(node.get("denormalize"), shape),
          node.path("softmax").asBoolean(false),
          node.has("labels") ? strings(node.get("labels")) : List.of(), "/outputs/" + i));
    }

    ModelSpec model = new ModelSpec(document.get("model").get("file").asString());
    return new ModelContract(document.get("version").asInt(), model, dims, batch, inputs, forward, outputs,
        source);
  }

  /** A skew block; what it leaves out takes the defaults. */
  private static SkewSpec skew(JsonNode node) {
    return new SkewSpec(node.path("observe").asBoolean(true), node.path("refuse").asBoolean(false), node.path("limit").asDouble(SkewSpec.DEFAULT_LIMIT),
        node.path("odds").asDouble(SkewSpec.DEFAULT_ODDS), node.path("warn").asDouble(SkewSpec.DEFAULT_WARN));
  }

  /** An input's range; a missing bound is unbounded. */
  private static Optional<ValueRange> range(JsonNode node) {
    return node == null ? Optional.empty() : Optional.of(new ValueRange(
        node.path("min").asDouble(Double.NEGATIVE_INFINITY), node.path("max").asDouble(Double.POSITIVE_INFINITY)));
  }

  private static DType dtype(JsonNode node) {
    return DType.fromContractName(node.get("dtype").asString()).orElseThrow();
  }

  private static TensorShape shape(JsonNode node) {
    List<Dim> dims = new ArrayList<>();
    for (JsonNode axis : node) {
      dims.add(axis.isIntegralNumber() ? new Dim.Fixed(axis.asLong()) : new Dim.Named(axis.asString()));
    }
    return new TensorShape(dims);
  }

  /**
   * A normalization with one value per feature: a statistic written as one number stands for that number at every
   * position of the feature axis, expanded here once. Where the axis has no fixed size (or is not in the shape, or no
   * tensor could hold it), a number stays one value; {@link ContractChecks} refuses that axis either way.
   */
  private static Optional<Normalization> normalization(JsonNode node, TensorShape shape) {
    if (node == null) {
      return Optional.empty();
    }
    int axis = node.path("axis").asInt(-1);
    int resolved = axis < 0 ? shape.rank() + axis : axis;
    int features = resolved >= 0 && resolved < shape.rank() && shape.dim(resolved) instanceof Dim.Fixed fixed
        && fixed.size() <= Integer.MAX_VALUE ? (int) fixed.size() : 1;
    if (node.has("mean")) {
      return Optional.of(new Normalization.Standardization(statistic(node.get("mean"), features),
          statistic(node.get("std"), features), axis));
    }
    return Optional.of(new Normalization.MinMaxScaling(statistic(node.get("min"), features),
        statistic(node.get("max"), features), axis));
  }

  /** A statistic's values as written, or one number repeated for each of {@code features}. */
  private static List<Double> statistic(JsonNode node, int features) {
    if (node.isNumber()) {
      return Collections.nCopies(features, node.asDouble());
    }
    List<Double> values = new ArrayList<>();
    node.forEach(value -> values.add(value.asDouble()));
    return values;
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    node.forEach(value -> values.add(value.asString()));
    return values;
  }
}
