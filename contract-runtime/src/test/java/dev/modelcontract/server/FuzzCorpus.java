package dev.modelcontract.server;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.Dim;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.golden.GoldenCase;
import dev.modelcontract.inference.ExampleModel;
import dev.modelcontract.tensors.Npy;
import dev.modelcontract.tensors.Npz;
import dev.modelcontract.tensors.OpenInference;
import dev.modelcontract.tensors.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bodies fuzzing starts from, for each example model: its golden requests, and the same at the edges of its
 * contract's dims (the smallest and largest batch and sequence, and one past each), each written in every format the
 * model's server reads by this server's own writers (JSON forms, {@link Npy}, {@link Npz}); and the files numpy and
 * Python's csv wrote (the examples' requests/ folders: compressed archives, Fortran order, big-endian, other dtypes).
 */
final class FuzzCorpus {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  /** Files of a dtype other than the contract's, which the server refuses (422) as they are. */
  private static final Pattern OTHER_DTYPE = Pattern.compile(".*-(int64|float64)\\.\\w+");
  /** The most values an edge request holds, so that its JSON stays well under the body limit. */
  private static final long MAX_EDGE_VALUES = 10_000;

  /**
   * One body, the model it is for and where it came from, e.g. {@code batched} or
   * {@code requests/batched-fortran.npy}.
   *
   * @param valid whether it meets the contract: false for bodies past a dim's bounds, and files of another dtype
   * @param answerTypes the types its answer may take, for an Accept header it must be served with
   */
  record Seed(ExampleModel model, String name, byte[] body, boolean valid, List<String> answerTypes) {}

  /** A request as named JSON tensors, before it is written in a format; {@code edge} where resized to a bound. */
  private record Request(String name, ObjectNode named, boolean valid, boolean edge) {}

  private final Map<FuzzFormat, List<Seed>> seeds = new EnumMap<>(FuzzFormat.class);
  /** The requests at the dims' bounds, kept apart: there are four for each dim of each golden request. */
  private final Map<FuzzFormat, List<Seed>> edges = new EnumMap<>(FuzzFormat.class);

  FuzzCorpus(List<ExampleModel> models, long limit) {
    for (FuzzFormat format : FuzzFormat.values()) {
      seeds.put(format, new ArrayList<>());
      edges.put(format, new ArrayList<>());
    }
    for (ExampleModel model : models) {
      ModelContract contract = contract(model);
      BodyFormats formats = new BodyFormats(contract, limit);
      List<ObjectNode> golden = new ArrayList<>();
      List<Request> requests = new ArrayList<>();
      for (GoldenCase each : model.goldenCases()) {
        ObjectNode named = (ObjectNode) JSON.readTree(each.requestBody());
        golden.add(named);
        requests.add(new Request(each.name(), named, true, false));
        if (batched(contract, named)) {
          requests.addAll(resizedToBounds(contract, each.name(), named));
        }
      }
      for (FuzzFormat format : FuzzFormat.values()) {
        if (formats.decoder(format.mediaType()) != null) {
          List<String> answerTypes = formats.answerTypes(format.mediaType());
          if (format == FuzzFormat.JSON_LINES) {
            seeds.get(format).add(new Seed(model, "every golden request", jsonLines(golden), true, answerTypes));
          } else {
            for (Request request : requests) {
              (request.edge() ? edges : seeds).get(format).add(new Seed(model, request.name(), write(format,
                  contract, request.named()), request.valid(), answerTypes));
            }
          }
          addFiles(format, model, answerTypes);
        }
      }
    }
  }

  /** The golden requests and the files in the format. */
  List<Seed> of(FuzzFormat format) {
    return seeds.get(format);
  }

  /** The golden requests resized to the dims' bounds and one past them, in the format; empty where none fit it. */
  List<Seed> edges(FuzzFormat format) {
    return edges.get(format);
  }

  private static ModelContract contract(ExampleModel model) {
    try {
      return new ContractReader().read(model.modelDir().resolve(ContractReader.FILE_NAME));
    } catch (ContractException e) {
      throw new IllegalStateException(model + "'s contract", e);
    }
  }

  /** The request in a format; a named one as such. */
  private static byte[] write(FuzzFormat format, ModelContract contract, ObjectNode named) {
    return switch (format) {
      case JSON_NAMED -> JSON.writeValueAsBytes(named);
      case JSON_INPUTS -> JSON.writeValueAsBytes(JSON.createObjectNode().set("inputs", named));
      case JSON_INSTANCES -> JSON.writeValueAsBytes(instances(contract, named));
      case JSON_OPEN_INFERENCE -> JSON.writeValueAsBytes(openInference(contract, named));
      case JSON_LINES -> jsonLines(List.of(named));
      case NPZ -> npz(contract, named);
      case NPY -> Npy.toBytes(tensor(contract.inputs().get(0), named.get(contract.inputs().get(0).name())));
      case CSV -> csv(named.get(contract.inputs().get(0).name()));
    };
  }

  private void addFiles(FuzzFormat format, ExampleModel model, List<String> answerTypes) {
    String suffix = switch (format) {
      case NPZ -> ".npz";
      case NPY -> ".npy";
      case CSV -> ".csv";
      default -> null;
    };
    if (suffix == null || !Files.isDirectory(model.requestsDir())) {
      return;
    }
    try (Stream<Path> files = Files.list(model.requestsDir())) {
      for (Path file : files.filter(each -> each.toString().endsWith(suffix)).sorted().toList()) {
        String name = file.getFileName().toString();
        seeds.get(format).add(new Seed(model, "requests/" + name, Files.readAllBytes(file),
            !OTHER_DTYPE.matcher(name).matches(), answerTypes));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the request has the batch axis (an unbatched request leaves it out). */
  private static boolean batched(ModelContract contract, ObjectNode named) {
    InputSpec first = contract.inputs().get(0);
    return contract.batch().isPresent() && named.has(first.name())
        && rank(named.get(first.name())) == first.shape().rank();
  }

  /**
   * The request resized along each named dim to its bounds and one past them: every input's axes of that dim
   * repeat their items (cycling) up to the size, or drop them down to it.
   */
  private static List<Request> resizedToBounds(ModelContract contract, String name, ObjectNode named) {
    List<Request> edges = new ArrayList<>();
    for (DimSpec dim : contract.dims().values()) {
      for (long size : new long[] {dim.min() - 1, dim.min(), dim.max(), dim.max() + 1}) {
        if (size < 0 || size == Long.MAX_VALUE) {
          continue;
        }
        ObjectNode resized = JSON.createObjectNode();
        long values = 0;
        for (InputSpec input : contract.inputs()) {
          JsonNode tensor = named.get(input.name());
          if (tensor == null) {
            continue;
          }
          for (int axis = 0; axis < input.shape().rank(); axis++) {
            if (input.shape().dim(axis) instanceof Dim.Named axisDim && axisDim.name().equals(dim.name())) {
              tensor = resize(tensor, axis, (int) size);
            }
          }
          resized.set(input.name(), tensor);
          values += count(tensor);
        }
        if (values <= MAX_EDGE_VALUES) {
          edges.add(new Request(name + " with " + dim.name() + " " + size, resized, dim.accepts(size), true));
        }
      }
    }
    return edges;
  }

  private static JsonNode resize(JsonNode values, int axis, int size) {
    if (!values.isArray() || values.isEmpty()) {
      return values;
    }
    ArrayNode resized = JSON.createArrayNode();
    if (axis == 0) {
      for (int i = 0; i < size; i++) {
        resized.add(values.get(i % values.size()));
      }
    } else {
      values.forEach(item -> resized.add(resize(item, axis - 1, size)));
    }
    return resized;
  }

  /**
   * TensorFlow Serving's rows: one object per batch item, each input without the batch axis; a request without one
   * (an unbatched request) is one item.
   */
  private static ObjectNode instances(ModelContract contract, ObjectNode named) {
    ArrayNode rows = JSON.createArrayNode();
    if (!batched(contract, named)) {
      rows.add(named);
    } else {
      int items = named.get(contract.inputs().get(0).name()).size();
      for (int i = 0; i < items; i++) {
        ObjectNode row = rows.addObject();
        for (String name : named.propertyNames()) {
          row.set(name, named.get(name).get(i));
        }
      }
    }
    return JSON.createObjectNode().set("instances", rows);
  }

  /** The Open Inference Protocol's form: each input named, with its shape, datatype and values in one flat array. */
  private static ObjectNode openInference(ModelContract contract, ObjectNode named) {
    ObjectNode body = JSON.createObjectNode().put("id", "fuzz");
    ArrayNode inputs = body.putArray("inputs");
    for (String name : named.propertyNames()) {
      ObjectNode input = inputs.addObject().put("name", name).put("datatype", contract.input(name)
          .map(spec -> OpenInference.datatype(spec.dtype())).orElse("FP32"));
      ArrayNode shape = input.putArray("shape");
      for (JsonNode axis = named.get(name); axis.isArray(); axis = axis.get(0)) {
        shape.add(axis.size());
        if (axis.isEmpty()) {
          break;
        }
      }
      flatten(named.get(name), input.putArray("data"));
    }
    return body;
  }

  private static byte[] jsonLines(List<ObjectNode> requests) {
    StringBuilder text = new StringBuilder();
    requests.forEach(request -> text.append(JSON.writeValueAsString(request)).append('\n'));
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] npz(ModelContract contract, ObjectNode named) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (InputSpec input : contract.inputs()) {
      if (named.has(input.name())) {
        tensors.put(input.name(), tensor(input, named.get(input.name())));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npz.write(tensors, out);
    return out.toByteArray();
  }

  /** A tensor of the input's dtype holding a JSON array's values, in its shape. */
  private static Tensor tensor(InputSpec input, JsonNode values) {
    List<Long> shape = new ArrayList<>();
    for (JsonNode axis = values; axis.isArray(); axis = axis.get(0)) {
      shape.add((long) axis.size());
      if (axis.isEmpty()) {
        break;
      }
    }
    ArrayNode flat = JSON.createArrayNode();
    flatten(values, flat);
    Object array = switch (input.dtype()) {
      case INT64 -> {
        long[] longs = new long[flat.size()];
        for (int i = 0; i < longs.length; i++) {
          longs[i] = flat.get(i).longValue();
        }
        yield longs;
      }
      case BOOL -> {
        boolean[] booleans = new boolean[flat.size()];
        for (int i = 0; i < booleans.length; i++) {
          booleans[i] = flat.get(i).booleanValue();
        }
        yield booleans;
      }
      default -> {
        float[] floats = new float[flat.size()];
        for (int i = 0; i < floats.length; i++) {
          floats[i] = flat.get(i).floatValue();
        }
        yield floats;
      }
    };
    return Tensor.of(shape.stream().mapToLong(Long::longValue).toArray(), array);
  }

  /** One line per batch item, values separated by commas; an unbatched request is one line. */
  private static byte[] csv(JsonNode features) {
    StringBuilder text = new StringBuilder();
    for (JsonNode row : rank(features) == 1 ? List.of(features) : (Iterable<JsonNode>) features::iterator) {
      List<String> values = new ArrayList<>();
      row.forEach(value -> values.add(value.asString()));
      text.append(String.join(",", values)).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void flatten(JsonNode values, ArrayNode into) {
    if (values.isArray()) {
      values.forEach(value -> flatten(value, into));
    } else {
      into.add(values);
    }
  }

  private static long count(JsonNode values) {
    if (!values.isArray()) {
      return 1;
    }
    long count = 0;
    for (JsonNode value : values) {
      count += count(value);
    }
    return count;
  }

  private static int rank(JsonNode values) {
    int rank = 0;
    for (JsonNode axis = values; axis.isArray(); axis = axis.get(0)) {
      rank++;
      if (axis.isEmpty()) {
        break;
      }
    }
    return rank;
  }
}
