package dev.modelcontract.tensors;

import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.JsonPointer;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.contract.OutputSpec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
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
import tools.jackson.core.json.JsonReadFeature;

/**
 * Decodes a JSON object of named tensors, {@code {"input_1": [[...]], "input_2": [[...]]}}, by streaming each
 * nested array straight into a primitive array: no tree of boxed numbers is ever built.
 *
 * <p>Every array must be rectangular. Named tensors with an {@link ElementType} are read by its rules: float
 * types take any JSON number (integers too) within the dtype's range, NaN and ±Infinity only where allowed;
 * integer types take integers within range (a fraction such as 1.5 is refused, never rounded); bool takes
 * {@code true}/{@code false}. Tensors without a type are inferred from their first value: numbers as float64,
 * strings, booleans. Errors carry the JSON Pointer of the offending value.
 */
public final class JsonTensorReader {

  /** Deeper nesting than this is refused before it can exhaust the stack. */
  public static final int MAX_RANK = 16;

  /**
   * The largest float32 magnitude taken: whatever rounds to a finite float. 3.4028235e38, Java's and numpy's
   * spelling of its largest value, is a little above it.
   */
  static final double LARGEST_FLOAT32 = Math.nextDown(Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0);

  /** The largest magnitude a float dtype takes: {@link #LARGEST_FLOAT32}; the others their exact range. */
  static double largestMagnitude(DType dtype) {
    return dtype == DType.FLOAT32 ? LARGEST_FLOAT32 : dtype.max();
  }

  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  /** The top-level names of the wrapped forms, unless a tensor of that name is declared. */
  private static final Set<String> WRAPPER_NAMES = Set.of("inputs", "instances", "id", "parameters", "outputs");

  private final Map<String, ElementType> types;

  /** A reader that infers every tensor's type. */
  public JsonTensorReader() {
    this(Map.of());
  }

  public JsonTensorReader(Map<String, ElementType> types) {
    this.types = Map.copyOf(types);
  }

  /** How each named tensor is read: for a contract's reader, each input's declared dtype. */
  public Map<String, ElementType> types() {
    return types;
  }

  /** A reader of requests: each input by its declared dtype; names the contract lacks are inferred. */
  public static JsonTensorReader forInputs(ModelContract contract) {
    Map<String, ElementType> types = new HashMap<>();
    for (InputSpec input : contract.inputs()) {
      types.put(input.name(), new ElementType(input.dtype(), input.allowNonFinite()));
    }
    return new JsonTensorReader(types);
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
   * A request body read: its form, its named tensors (for {@link JsonForm#INSTANCES}, rows stacked), and for the
   * Open Inference Protocol the request's {@code id} (null where none), which its answer repeats.
   */
  public record Request(JsonForm form, Map<String, Tensor> tensors, String id) {

    public Request(JsonForm form, Map<String, Tensor> tensors) {
      this(form, tensors, null);
    }
  }

  /**
   * Reads the whole object; the stream is read to its end but not closed.
   *
   * @throws ValueTypeException when values are not of a tensor's declared type
   * @throws TensorFormatException when the body is not a JSON object of rectangular arrays
   * @throws IOException when the stream itself fails
   */
  public Map<String, Tensor> read(InputStream body) throws TensorFormatException, IOException {
    return readRequest(body).tensors();
  }

  /**
   * Reads a request in any of the {@link JsonForm JSON forms}. {@code inputs} and {@code instances} are wrappers
   * only where no tensor of that name is declared.
   *
   * @throws ValueTypeException when values are not of a tensor's declared type
   * @throws TensorFormatException when the body is not one of the forms, or its arrays are not rectangular
   * @throws IOException when the stream itself fails
   */
  public Request readRequest(InputStream body) throws TensorFormatException, IOException {
    return readRequest(() -> JSON.createParser(ObjectReadContext.empty(), body));
  }

  /**
   * Reads a request from bytes: the common body (float inputs as plain nested arrays of numbers) on a fast path
   * that reads the bytes once, anything else as {@link #readRequest(InputStream)} does.
   *
   * @throws ValueTypeException when values are not of a tensor's declared type
   * @throws TensorFormatException when the body is not one of the forms, or its arrays are not rectangular
   * @throws IOException when the bytes are not text in an encoding JSON allows
   */
  public Request readRequest(byte[] body, int offset, int length) throws TensorFormatException, IOException {
    Request fast = NumericJsonScanner.scan(body, offset, length, types);
    return fast != null ? fast : readRequest(() -> JSON.createParser(ObjectReadContext.empty(), body, offset, length));
  }

  private Request readRequest(Supplier<JsonParser> source) throws TensorFormatException, IOException {
    try (JsonParser parser = source.get()) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new TensorFormatException("", "the body must be a JSON object of named tensors, e.g. "
            + "{\"input_1\": [[0.5, 1.0]]}");
      }
      parser.nextToken();
      String first = parser.currentToken() == JsonToken.PROPERTY_NAME ? parser.currentName() : null;
      Request request = first != null && WRAPPER_NAMES.contains(first) && !types.containsKey(first)
          ? wrapped(parser) : new Request(JsonForm.NAMED, named(parser, ""));
      if (parser.nextToken() != null) {
        throw new TensorFormatException("", "the body holds more than one JSON value");
      }
      return request;
    } catch (JacksonIOException e) {
      throw e.getCause();
    } catch (JacksonException e) {
      throw new TensorFormatException("", "the body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")"));
    }
  }

  /** {@code name: value} pairs up to the object's end; the parser is at the first name (or the end). */
  private Map<String, Tensor> named(JsonParser parser, String base) throws TensorFormatException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (JsonToken token = parser.currentToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
      String name = parser.currentName();
      String pointer = base + "/" + JsonPointer.escape(name);
      parser.nextToken();
      if (tensors.put(name, new ArrayDecoder(parser, name, pointer, types.get(name)).decode()) != null) {
        throw new TensorFormatException(pointer, "'" + name + "' appears twice in the body");
      }
    }
    return tensors;
  }

  /**
   * The wrapped forms, their members in any order: {@code inputs} as an object of named tensors or as the Open
   * Inference Protocol's list, or {@code instances}; with the protocol, also {@code id} (repeated in the answer),
   * {@code parameters} and {@code outputs} (read and ignored: every output is answered). The parser is at the
   * first member's name.
   */
  private Request wrapped(JsonParser parser) throws TensorFormatException {
    JsonForm form = null;
    String wrapper = null;
    Map<String, Tensor> tensors = null;
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
        tensors = openInference(parser);
      } else if (name.equals("inputs")) {
        throw new TensorFormatException("/inputs", "'inputs' must be an object of named tensors, e.g. {\"inputs\":"
            + " {\"input_1\": [[0.5, 1.0]]}}, or the Open Inference Protocol's list of {\"name\", \"shape\","
            + " \"datatype\", \"data\"}");
      } else if (name.equals("instances")) {
        form = JsonForm.INSTANCES;
        tensors = instances(parser);
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
    return new Request(form, tensors, id);
  }

  /**
   * The Open Inference Protocol's (KServe v2) inputs: {@code [{"name", "shape", "datatype", "data"}, …]}, data flat
   * in row-major order or nested as the shape says. Each is read by its input's declared type, and its datatype
   * must be that type's ({@code FP32} for float32, …); {@code name} must come before {@code data}.
   */
  private Map<String, Tensor> openInference(JsonParser parser) throws TensorFormatException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    int index = 0;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken(), index++) {
      String at = "/inputs/" + index;
      if (token != JsonToken.START_OBJECT) {
        throw new TensorFormatException(at, "each Open Inference Protocol input is an object {\"name\", \"shape\","
            + " \"datatype\", \"data\"}");
      }
      String name = null;
      String datatype = null;
      long[] shape = null;
      Tensor data = null;
      for (JsonToken member = parser.nextToken(); member == JsonToken.PROPERTY_NAME; member = parser.nextToken()) {
        String key = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (key) {
          case "name" -> name = text(parser, value, at + "/name");
          case "datatype" -> datatype = text(parser, value, at + "/datatype");
          case "shape" -> shape = shape(parser, value, at + "/shape");
          case "data" -> {
            if (name == null) {
              throw new TensorFormatException(at + "/data", "put 'name' before 'data': the data is read by the"
                  + " named input's type");
            }
            data = new ArrayDecoder(parser, name, at + "/data", types.get(name)).decode();
          }
          case "parameters" -> parser.skipChildren();
          default -> throw new TensorFormatException(at + "/" + JsonPointer.escape(key), "an Open Inference"
              + " Protocol input has name, shape, datatype, data and parameters, not '" + key + "'");
        }
      }
      if (name == null || shape == null || datatype == null || data == null) {
        throw new TensorFormatException(at, "an Open Inference Protocol input needs 'name', 'shape', 'datatype'"
            + " and 'data'");
      }
      ElementType type = types.get(name);
      if (type != null && !OpenInference.datatype(type.dtype()).equals(datatype)) {
        throw new ValueTypeException(name, at + "/datatype", "datatype " + OpenInference.datatype(type.dtype())
            + " (the contract's " + type.dtype() + "; nothing is cast)", "datatype " + datatype);
      }
      if (Tensor.saturatedSizeOf(shape) != data.size() || (data.rank() > 1 && !Arrays.equals(data.shape(), shape))) {
        throw new TensorFormatException(at + "/data", "'" + name + "' has shape " + Arrays.toString(shape)
            + ", but its data holds " + (data.rank() > 1 ? "an array of shape " + Arrays.toString(data.shape())
            : data.size() + " values"));
      }
      if (tensors.put(name, data.reshaped(shape)) != null) {
        throw new TensorFormatException(at + "/name", "'" + name + "' appears twice in the body");
      }
    }
    return tensors;
  }

  private static String text(JsonParser parser, JsonToken value, String pointer) throws TensorFormatException {
    if (value != JsonToken.VALUE_STRING) {
      throw new TensorFormatException(pointer, "expected a string");
    }
    return parser.getString();
  }

  private static long[] shape(JsonParser parser, JsonToken value, String pointer) throws TensorFormatException {
    if (value != JsonToken.START_ARRAY) {
      throw new TensorFormatException(pointer, "a shape is a list of sizes, e.g. [1, 20, 4]");
    }
    long[] shape = new long[MAX_RANK];
    int rank = 0;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          || parser.getLongValue() < 0 || rank == MAX_RANK) {
        throw new TensorFormatException(pointer + "/" + rank, "a shape is a list of at most " + MAX_RANK
            + " sizes of 0 or more");
      }
      shape[rank++] = parser.getLongValue();
    }
    return Arrays.copyOf(shape, rank);
  }

  /** {@code "instances": [{named tensors of one batch item}, …]}, stacked along a new first axis. */
  private Map<String, Tensor> instances(JsonParser parser) throws TensorFormatException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new TensorFormatException("/instances", "'instances' must be an array of objects, one per batch item,"
          + " e.g. {\"instances\": [{\"input_1\": [0.5, 1.0]}]}");
    }
    List<Map<String, Tensor>> rows = new ArrayList<>();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      String at = "/instances/" + rows.size();
      if (token != JsonToken.START_OBJECT) {
        throw new TensorFormatException(at, "each instance must be an object of named tensors");
      }
      parser.nextToken();
      Map<String, Tensor> row = named(parser, at);
      if (!rows.isEmpty() && !row.keySet().equals(rows.get(0).keySet())) {
        throw new TensorFormatException(at, "instance " + rows.size() + " names " + row.keySet()
            + ", but the first names " + rows.get(0).keySet());
      }
      for (Map.Entry<String, Tensor> value : row.entrySet()) {
        Tensor firstRow = rows.isEmpty() ? null : rows.get(0).get(value.getKey());
        if (firstRow != null && firstRow.array().getClass() != value.getValue().array().getClass()) {
          throw new TensorFormatException(at + "/" + JsonPointer.escape(value.getKey()), "'" + value.getKey()
              + "' holds other values here than in the first instance (numbers, strings and booleans do not mix)");
        }
        if (!rows.isEmpty() && !Arrays.equals(value.getValue().shape(), rows.get(0).get(value.getKey()).shape())) {
          throw new TensorFormatException(at + "/" + JsonPointer.escape(value.getKey()), "'" + value.getKey()
              + "' has shape " + Arrays.toString(value.getValue().shape()) + " here, but "
              + Arrays.toString(rows.get(0).get(value.getKey()).shape()) + " in the first instance");
        }
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new TensorFormatException("/instances", "'instances' holds no instance");
    }
    Map<String, Tensor> stacked = new LinkedHashMap<>();
    for (String name : rows.get(0).keySet()) {
      stacked.put(name, stack(rows.stream().map(row -> row.get(name)).toList()));
    }
    return stacked;
  }

  /** Tensors of one shape and storage as one, along a new first axis. */
  private static Tensor stack(List<Tensor> rows) {
    Tensor first = rows.get(0);
    int size = first.size();
    Object array = Array.newInstance(first.array().getClass().getComponentType(), size * rows.size());
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i).array(), 0, array, i * size, size);
    }
    long[] shape = new long[first.rank() + 1];
    shape[0] = rows.size();
    System.arraycopy(first.shape(), 0, shape, 1, first.rank());
    return Tensor.of(shape, array);
  }

  /** Decodes one value, a scalar or nested arrays, learning the shape from the first path to a scalar. */
  private static final class ArrayDecoder {
    private final JsonParser parser;
    private final String name;
    private final String pointer;
    private final ElementType type;
    private final long[] shape = new long[MAX_RANK];
    private final boolean[] known = new boolean[MAX_RANK];
    private final int[] index = new int[MAX_RANK];
    private int rank = -1;
    private Sink sink;

    ArrayDecoder(JsonParser parser, String name, String pointer, ElementType type) {
      this.parser = parser;
      this.name = name;
      this.pointer = pointer;
      this.type = type;
      this.sink = type == null ? null : Sink.of(type);
    }

    Tensor decode() throws TensorFormatException {
      value(0);
      return sink.tensor(Arrays.copyOf(shape, Math.max(rank, 0)));
    }

    private void value(int depth) throws TensorFormatException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.START_ARRAY) {
        array(depth);
      } else if (token.isScalarValue()) {
        scalar(depth, token);
      } else {
        throw new TensorFormatException(at(depth), "expected a value or an array, found an object");
      }
    }

    private void array(int depth) throws TensorFormatException {
      if (rank >= 0 && depth >= rank) {
        throw new TensorFormatException(at(depth), "expected a value at depth " + rank + ", found an array");
      }
      if (depth == MAX_RANK) {
        throw new TensorFormatException(at(depth), "arrays are nested deeper than " + MAX_RANK + " levels");
      }
      int count = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        index[depth] = count++;
        value(depth + 1);
      }
      if (rank < 0) {
        throw new TensorFormatException(at(depth), "an empty array holds no tensor");
      }
      if (!known[depth]) {
        shape[depth] = count;
        known[depth] = true;
      } else if (shape[depth] != count) {
        throw new TensorFormatException(at(depth), "ragged array: expected " + shape[depth]
            + " elements on axis " + depth + ", as in the first row, but found " + count);
      }
    }

    private void scalar(int depth, JsonToken token) throws TensorFormatException {
      if (rank < 0) {
        rank = depth;
        if (sink == null) {
          sink = Sink.inferred(token);
        }
      } else if (depth != rank) {
        throw new TensorFormatException(at(depth), "expected an array at depth " + depth + ", found a value");
      }
      String problem = sink.add(parser, token);
      if (problem != null) {
        if (type == null) {
          throw new TensorFormatException(at(depth), "'" + name + "' mixes value types: " + problem);
        }
        throw new ValueTypeException(name, at(depth), describe(type), problem);
      }
    }

    private String at(int depth) {
      StringBuilder path = new StringBuilder(pointer);
      for (int axis = 0; axis < depth; axis++) {
        path.append('/').append(index[axis]);
      }
      return path.toString();
    }

    private static String describe(ElementType type) {
      DType dtype = type.dtype();
      return switch (dtype.kind()) {
        case FLOAT -> (type.allowNonFinite() ? "a " : "a finite ") + dtype + " number";
        case INTEGER -> (dtype == DType.UINT8 ? "a " : "an ") + dtype + " integer from " + dtype.minLong() + " to "
            + dtype.maxLong();
        case BOOL -> "true or false";
      };
    }
  }

  /** Collects the values of one tensor into the array its type is stored in. */
  private abstract static class Sink {
    int size;

    static Sink of(ElementType type) {
      DType dtype = type.dtype();
      return switch (dtype) {
        case FLOAT64 -> new DoubleSink(type.allowNonFinite());
        case FLOAT32, FLOAT16, BFLOAT16 -> new FloatSink(dtype, type.allowNonFinite());
        case INT64, INT32, INT8, UINT8 -> new LongSink(dtype);
        case BOOL -> new BooleanSink();
      };
    }

    static Sink inferred(JsonToken first) {
      if (first == JsonToken.VALUE_STRING) {
        return new StringSink();
      }
      if (first == JsonToken.VALUE_TRUE || first == JsonToken.VALUE_FALSE) {
        return new BooleanSink();
      }
      return new DoubleSink(true);
    }

    /** Adds the current value; returns what is wrong with it, or null. */
    abstract String add(JsonParser parser, JsonToken token);

    abstract Tensor tensor(long[] shape);

    static int grown(int length) {
      return Math.max(256, length * 2);
    }

    static String describe(JsonParser parser, JsonToken token) {
      return switch (token) {
        case VALUE_STRING -> "the string \"" + abbreviate(parser.getString()) + "\"";
        case VALUE_TRUE, VALUE_FALSE -> "the boolean " + parser.getString();
        case VALUE_NULL -> "null";
        default -> "the value " + abbreviate(parser.getString());
      };
    }

    private static String abbreviate(String text) {
      return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    static boolean isNumber(JsonToken token) {
      return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
    }
  }

  private static final class FloatSink extends Sink {
    private final DType dtype;
    private final boolean allowNonFinite;
    /** The largest magnitude taken ({@link #largestMagnitude}). */
    private final double largest;
    private float[] values = new float[256];

    FloatSink(DType dtype, boolean allowNonFinite) {
      this.dtype = dtype;
      this.allowNonFinite = allowNonFinite;
      this.largest = largestMagnitude(dtype);
    }

    @Override
    String add(JsonParser parser, JsonToken token) {
      if (!isNumber(token)) {
        return describe(parser, token);
      }
      double value = parser.getDoubleValue();
      if (parser.isNaN()) { // the tokens NaN, Infinity, -Infinity; 1e400 is a number out of range instead
        if (!allowNonFinite) {
          return parser.getString() + " (the input does not allow non-finite values)";
        }
      } else if (!(Math.abs(value) <= largest)) {
        return parser.getString() + ", outside the " + dtype + " range";
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, grown(size));
      }
      values[size++] = (float) value;
      return null;
    }

    @Override
    Tensor tensor(long[] shape) {
      return new FloatTensor(shape, Arrays.copyOf(values, size));
    }
  }

  private static final class DoubleSink extends Sink {
    private final boolean allowNonFinite;
    private double[] values = new double[256];

    DoubleSink(boolean allowNonFinite) {
      this.allowNonFinite = allowNonFinite;
    }

    @Override
    String add(JsonParser parser, JsonToken token) {
      if (!isNumber(token)) {
        return describe(parser, token);
      }
      double value = parser.getDoubleValue();
      if (parser.isNaN()) {
        if (!allowNonFinite) {
          return parser.getString() + " (the input does not allow non-finite values)";
        }
      } else if (Double.isInfinite(value)) {
        return parser.getString() + ", outside the float64 range";
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, grown(size));
      }
      values[size++] = value;
      return null;
    }

    @Override
    Tensor tensor(long[] shape) {
      return new DoubleTensor(shape, Arrays.copyOf(values, size));
    }
  }

  private static final class LongSink extends Sink {
    private final DType dtype;
    private long[] values = new long[256];

    LongSink(DType dtype) {
      this.dtype = dtype;
    }

    @Override
    String add(JsonParser parser, JsonToken token) {
      if (!isNumber(token)) {
        return describe(parser, token);
      }
      long value;
      if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        value = parser.getLongValue();
      } else {
        // 3.0 is the integer 3; 1.5 and NaN are not integers; 1e30 is one out of range. Exact, never rounded.
        if (parser.isNaN()) {
          return parser.getString() + ", not an integer";
        }
        BigDecimal decimal = new BigDecimal(parser.getString());
        if (decimal.stripTrailingZeros().scale() > 0) {
          return parser.getString() + ", not an integer";
        }
        try {
          value = decimal.longValueExact();
        } catch (ArithmeticException e) {
          return parser.getString() + ", outside the " + dtype + " range";
        }
      }
      if (value < dtype.minLong() || value > dtype.maxLong()) {
        return parser.getString() + ", outside the " + dtype + " range";
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, grown(size));
      }
      values[size++] = value;
      return null;
    }

    @Override
    Tensor tensor(long[] shape) {
      return new LongTensor(shape, Arrays.copyOf(values, size));
    }
  }

  private static final class BooleanSink extends Sink {
    private boolean[] values = new boolean[256];

    @Override
    String add(JsonParser parser, JsonToken token) {
      if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
        return describe(parser, token);
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, grown(size));
      }
      values[size++] = token == JsonToken.VALUE_TRUE;
      return null;
    }

    @Override
    Tensor tensor(long[] shape) {
      return new BooleanTensor(shape, Arrays.copyOf(values, size));
    }
  }

  private static final class StringSink extends Sink {
    private String[] values = new String[16];

    @Override
    String add(JsonParser parser, JsonToken token) {
      if (token != JsonToken.VALUE_STRING) {
        return describe(parser, token);
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, grown(size));
      }
      values[size++] = parser.getString();
      return null;
    }

    @Override
    Tensor tensor(long[] shape) {
      return new StringTensor(shape, Arrays.copyOf(values, size));
    }
  }
}
