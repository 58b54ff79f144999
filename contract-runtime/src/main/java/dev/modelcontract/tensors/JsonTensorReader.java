package dev.modelcontract.tensors;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.DimSpec;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.JsonPointer;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.OutputSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonReadFeature;

/**
 * Decodes a JSON body of named tensors, {@code {"input_1": [[...]], "input_2": [[...]]}}, or the same tensors in one
 * of the JSON {@link Envelope envelopes}. Finds the envelope from the first member and leaves the envelope's own
 * members to it; each tensor's value is streamed by {@link JsonValueDecoder} (the common all-float body by
 * {@link NumericJsonScanner} first).
 */
public final class JsonTensorReader {

  /**
   * The longest string a body may hold: a tensor's string element (a label, a token) is short, and a longer string is
   * refused after this many characters instead of being decoded whole (a 6 MB one cost 12 MB of garbage per body).
   */
  static final int MAX_STRING_LENGTH = 64 * 1024;

  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build())
      .build();

  /** The top-level names of the wrapped forms, unless a tensor of that name is declared. */
  private static final Set<String> WRAPPER_NAMES = Set.of("inputs", "instances", "id", "parameters", "outputs");

  private final Map<String, ElementType> types;
  /** The only names a body may hold, in the contract's order; null where any name is read. */
  private final List<String> declared;
  /** The contract's batch dim, bounding the rows of {@code instances}; null where the reader has no contract. */
  private final DimSpec batch;

  /** A reader that infers every tensor's type. */
  public JsonTensorReader() {
    this(Map.of());
  }

  public JsonTensorReader(Map<String, ElementType> types) {
    this(types, null, null);
  }

  private JsonTensorReader(Map<String, ElementType> types, List<String> declared, DimSpec batch) {
    this.types = Map.copyOf(types);
    this.declared = declared == null ? null : List.copyOf(declared);
    this.batch = batch;
  }

  /**
   * The JSON forms a body may take: the named form always, and each wrapper form unless a tensor of its wrapper's
   * name is declared (then that name is the tensor's).
   */
  public List<JsonForm> forms() {
    List<JsonForm> forms = new ArrayList<>(List.of(JsonForm.NAMED));
    if (!types.containsKey("inputs")) {
      forms.add(JsonForm.INPUTS);
    }
    if (!types.containsKey("instances")) {
      forms.add(JsonForm.INSTANCES);
    }
    if (!types.containsKey("inputs")) {
      forms.add(JsonForm.OPEN_INFERENCE);
    }
    return List.copyOf(forms);
  }

  /** How each named tensor is read: for a contract's reader, each input's declared dtype. */
  public Map<String, ElementType> types() {
    return types;
  }

  /**
   * A reader of requests: each input by its declared dtype. A name the contract does not declare is refused where it
   * stands, before its value is read, so a body of many such members costs no more than its first; so is an
   * instance past the batch dim's bound.
   */
  public static JsonTensorReader forInputs(ModelContract contract) {
    Map<String, ElementType> types = new HashMap<>();
    for (InputSpec input : contract.inputs()) {
      types.put(input.name(), ElementType.of(input));
    }
    return new JsonTensorReader(types, contract.inputNames(),
        contract.batch().map(spec -> contract.dim(spec.dim())).orElse(null));
  }

  /**
   * A reader of answers: each output by its declared dtype, NaN and infinities read rather than refused (a client
   * judges them); labels as strings.
   */
  public static JsonTensorReader forOutputs(ModelContract contract) {
    Map<String, ElementType> types = new HashMap<>();
    for (OutputSpec output : contract.outputs()) {
      if (output.labels().isEmpty()) {
        types.put(output.name(), new ElementType(output.dtype(), true));
      }
    }
    return new JsonTensorReader(types);
  }

  /**
   * Reads the whole object; the stream is read to its end but not closed.
   *
   * @throws ContractViolation when values are not of a tensor's declared type
   * @throws TensorFormatException when the body is not a JSON object of rectangular arrays
   * @throws IOException when the stream itself fails
   */
  public Map<String, Tensor> read(InputStream body) throws TensorFormatException, ContractViolation, IOException {
    return readRequest(body).tensors();
  }

  /**
   * Reads a request in any of the {@link JsonForm JSON forms}. {@code inputs} and {@code instances} are wrappers
   * only where no tensor of that name is declared.
   *
   * @throws ContractViolation when values are not of a tensor's declared type
   * @throws TensorFormatException when the body is not one of the forms, or its arrays are not rectangular
   * @throws IOException when the stream itself fails
   */
  public RequestBody readRequest(InputStream body) throws TensorFormatException, ContractViolation, IOException {
    return readRequest(() -> JSON.createParser(ObjectReadContext.empty(), body));
  }

  /**
   * Reads a request from bytes: the common body (float inputs as plain nested arrays of numbers) on a fast path
   * that reads the bytes once, anything else as {@link #readRequest(InputStream)} does.
   *
   * @throws ContractViolation when values are not of a tensor's declared type
   * @throws TensorFormatException when the body is not one of the forms, or its arrays are not rectangular
   * @throws IOException when the bytes are not text in an encoding JSON allows
   */
  public RequestBody readRequest(byte[] body, int offset, int length)
      throws TensorFormatException, ContractViolation, IOException {
    RequestBody fast = NumericJsonScanner.scan(body, offset, length, types);
    return fast != null ? fast : readRequest(() -> JSON.createParser(ObjectReadContext.empty(), body, offset, length));
  }

  private RequestBody readRequest(Supplier<JsonParser> source)
      throws TensorFormatException, ContractViolation, IOException {
    try (JsonParser parser = source.get()) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new TensorFormatException("", "the body must be a JSON object of named tensors, e.g. "
            + "{\"input_1\": [[0.5, 1.0]]}");
      }
      parser.nextToken();
      String first = parser.currentToken() == JsonToken.PROPERTY_NAME ? parser.currentName() : null;
      RequestBody request = first != null && WRAPPER_NAMES.contains(first) && !types.containsKey(first)
          ? wrapped(parser) : RequestBody.named(named(parser, ""));
      if (parser.nextToken() != null) {
        throw new TensorFormatException("", "the body holds more than one JSON value");
      }
      return request;
    } catch (JacksonIOException e) {
      throw e.getCause();
    } catch (JacksonException e) {
      throw new TensorFormatException("", "the body is not valid JSON: " + ParserMessages.of(e)
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")"));
    }
  }

  /** {@code name: value} pairs up to the object's end; the parser is at the first name (or the end). */
  Map<String, Tensor> named(JsonParser parser, String base) throws TensorFormatException, ContractViolation {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (JsonToken token = parser.currentToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
      String name = parser.currentName();
      String pointer = base + "/" + JsonPointer.escape(name);
      checkDeclared(name, pointer);
      parser.nextToken();
      if (tensors.put(name, JsonValueDecoder.decode(parser, name, pointer, types.get(name))) != null) {
        throw new TensorFormatException(pointer, "'" + name + "' appears twice in the body");
      }
    }
    return tensors;
  }

  /**
   * Refuses an instance past the batch dim's upper bound, where the reader has a contract: before it is read, so a
   * body of a hundred thousand instances costs no more than the bound's worth.
   */
  void checkInstanceCount(int instances) throws ContractViolation {
    if (batch != null && instances >= batch.max()) {
      String first = declared.get(0);
      throw new ContractViolation(first, "/instances", batch.describeBounds() + ", one instance per batch item",
          "more than " + batch.max() + " instances");
    }
  }

  /** Refuses a name outside the declared ones, where the reader has them. */
  void checkDeclared(String name, String pointer) throws ContractViolation {
    if (declared != null && !types.containsKey(name)) {
      throw new ContractViolation(name, pointer, "one of the contract's inputs " + declared,
          "an input the contract does not declare");
    }
  }

  /**
   * The wrapped forms, their members in any order: {@code inputs} as an object of named tensors or as the Open
   * Inference Protocol's list, or {@code instances}; with the protocol, also {@code id} (repeated in the answer),
   * {@code parameters} and {@code outputs} (read and ignored: every output is answered). The parser is at the
   * first member's name.
   */
  private RequestBody wrapped(JsonParser parser) throws TensorFormatException, ContractViolation {
    JsonForm form = null;
    String wrapper = null;
    Map<String, Tensor> tensors = null;
    List<long[]> flatShapes = null;
    String id = null;
    String protocolMember = null;
    for (JsonToken token = parser.currentToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
      String name = parser.currentName();
      String pointer = "/" + JsonPointer.escape(name);
      JsonToken value = parser.nextToken();
      boolean wraps = name.equals("inputs") || name.equals("instances");
      if (wraps && form != null || !WRAPPER_NAMES.contains(name)) {
        throw new TensorFormatException(pointer, "a body in the '" + (wrapper == null ? name : wrapper)
            + "' form holds nothing else, but it also has '" + name + "'");
      }
      if (name.equals("inputs") && value == JsonToken.START_OBJECT) {
        parser.nextToken();
        form = JsonForm.INPUTS;
        tensors = named(parser, "/inputs");
      } else if (name.equals("inputs") && value == JsonToken.START_ARRAY) {
        form = JsonForm.OPEN_INFERENCE;
        OpenInferenceEnvelope.Inputs read = OpenInferenceEnvelope.readInputs(parser, this);
        tensors = read.tensors();
        flatShapes = read.flatShapes();
      } else if (name.equals("inputs")) {
        throw new TensorFormatException("/inputs", "'inputs' must be an object of named tensors, e.g. {\"inputs\":"
            + " {\"input_1\": [[0.5, 1.0]]}}, or the Open Inference Protocol's list of {\"name\", \"shape\","
            + " \"datatype\", \"data\"}");
      } else if (name.equals("instances")) {
        form = JsonForm.INSTANCES;
        tensors = InstancesEnvelope.read(parser, this);
      } else if (name.equals("id")) {
        if (value != JsonToken.VALUE_STRING) {
          throw new TensorFormatException("/id", "the Open Inference Protocol's 'id' is a string");
        }
        id = parser.getString();
        protocolMember = name;
      } else {
        parser.skipChildren();
        protocolMember = name;
      }
      if (wraps) {
        wrapper = name;
      }
    }
    if (form == null) {
      throw new TensorFormatException("/inputs", "the body has '" + protocolMember + "' but no 'inputs'");
    }
    if (protocolMember != null && form != JsonForm.OPEN_INFERENCE) {
      throw new TensorFormatException("/" + protocolMember, "a body in the '" + wrapper + "' form holds nothing"
          + " else, but it also has '" + protocolMember + "' (a member of Open Inference Protocol requests, whose"
          + " 'inputs' is a list)");
    }
    Envelope envelope = switch (form) {
      case INPUTS -> InputsEnvelope.INSTANCE;
      case INSTANCES -> InstancesEnvelope.INSTANCE;
      case OPEN_INFERENCE -> new OpenInferenceEnvelope(id, List.copyOf(tensors.keySet()), flatShapes);
      case NAMED -> Envelope.NAMED;
    };
    return new RequestBody(tensors, envelope);
  }
}
