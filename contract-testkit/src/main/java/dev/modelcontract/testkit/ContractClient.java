package dev.modelcontract.testkit;

import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A client of one served contract (a real image, a stub, a model on a multi-model endpoint or any SageMaker endpoint
 * on the network): named arrays in, named arrays out, in any request format the contract allows.
 *
 * <pre>{@code
 * Map<String, Tensor> outputs = client.request()
 *     .with("input_1", new float[][][] {{{101, 99, 103, 100}}})   // [batch, T, 4]: a batch of one, T = 1
 *     .with("input_2", new float[][][] {{{15000, 0.5f}}})         // [batch, T, 2]
 *     .invoke();
 * }</pre>
 *
 * <p>A refusal throws {@link InvocationFailed}, whose {@link InvocationFailed#answer() answer()} holds the status
 * and the problem ({@link Answer#status()}, {@link Answer#problemType()}, {@link Answer#problem()}).
 */
public final class ContractClient {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI endpoint;
  private final URI invocations;
  private final ModelContract contract;
  /** The model's name on a multi-model endpoint; null for a server of one model. */
  private final String modelName;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * A client of a server of one model, invoked at /invocations.
   *
   * @param endpoint the server's base URI, e.g. {@code http://localhost:32768}
   * @param contract the contract it serves
   */
  public ContractClient(URI endpoint, ModelContract contract) {
    this(endpoint, endpoint.resolve("/invocations"), contract, null);
  }

  private ContractClient(URI endpoint, URI invocations, ModelContract contract, String modelName) {
    this.endpoint = endpoint;
    this.invocations = invocations;
    this.contract = contract;
    this.modelName = modelName;
  }

  /**
   * A client of one model loaded on a SageMaker multi-model endpoint: every request goes to
   * {@code /models/NAME/invoke} (the name encoded as a path segment), which answers as /invocations does, so the
   * {@link ConformanceSuite} runs through it unchanged.
   *
   * @param endpoint the endpoint's base URI
   * @param contract the contract of that model
   * @param modelName the name it was loaded under ({@code model_name} of {@code POST /models})
   */
  public static ContractClient onMultiModelEndpoint(URI endpoint, ModelContract contract, String modelName) {
    return new ContractClient(endpoint, MultiModelClient.modelUri(endpoint, modelName, MultiModelClient.INVOKE),
        contract, modelName);
  }

  /** The server's base URI. */
  public URI endpoint() {
    return endpoint;
  }

  /** Where requests are sent: /invocations, or a multi-model endpoint's {@code /models/NAME/invoke}. */
  public URI invocations() {
    return invocations;
  }

  public ModelContract contract() {
    return contract;
  }

  /**
   * The name the model was loaded under on a multi-model endpoint, which its series on /metrics carry as their
   * {@code model} label; empty for a server of one model.
   */
  public Optional<String> modelName() {
    return Optional.ofNullable(modelName);
  }

  /** A request built input by input, checked against the contract's input names and dtypes as it is built. */
  public Request request() {
    return new Request();
  }

  /**
   * Sends named tensors as JSON and returns the named outputs.
   *
   * @throws InvocationFailed when the answer is not 200 with named outputs
   */
  public Map<String, Tensor> invoke(Map<String, ? extends Tensor> inputs) {
    return invoke(inputs, RequestFormat.JSON);
  }

  /**
   * Sends named tensors in a format and returns the named outputs.
   *
   * @throws InvocationFailed when the answer is not 200 with named outputs
   * @throws IllegalArgumentException when the format cannot carry a request for this contract
   */
  public Map<String, Tensor> invoke(Map<String, ? extends Tensor> inputs, RequestFormat format) {
    if (!format.carries(contract)) {
      throw new IllegalArgumentException(format + " cannot carry a request for this contract; it takes "
          + contract.inputNames());
    }
    Answer answer = send(format.mediaType(), null, format.encode(inputs));
    if (answer.status() != 200) {
      throw new InvocationFailed(answer);
    }
    try {
      return answer.outputs(contract);
    } catch (TensorFormatException e) {
      throw new InvocationFailed(answer, "the answer is not a set of named tensors: " + e.getMessage());
    }
  }

  /** Whether GET /ping answers 200. */
  public boolean ping() {
    return PingOrExit.answers200(http, endpoint.resolve("/ping"));
  }

  /**
   * {@code GET /metrics}: the server's Prometheus metrics in the text format, the observed skew of each input with
   * training statistics among them, answered as it came.
   *
   * @throws UncheckedIOException when no answer came
   */
  public Answer metrics() {
    return Exchange.send(http, HttpRequest.newBuilder(endpoint.resolve("/metrics")).timeout(REQUEST_TIMEOUT)
        .header("Accept", "text/plain").GET().build());
  }

  /**
   * Sends any bytes to {@link #invocations()}, the way a caller with its own serializer would.
   *
   * @param contentType the Content-Type header
   * @param accept the Accept header; null for none
   * @throws UncheckedIOException when no answer came
   */
  public Answer send(String contentType, String accept, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(invocations).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return Exchange.send(http, request.build());
  }

  /** A request under construction: Java arrays (nested as the shape is) by input name. */
  public final class Request {

    private final Map<String, Tensor> inputs = new LinkedHashMap<>();

    private Request() {}

    /**
     * Sets an input from a Java array nested as its shape: {@code float[][]} of shape (batch, features) for a
     * float32 input, {@code long[][]} or {@code int[][]} for integer dtypes, {@code boolean[][]} for bool. Where the
     * contract allows unbatched requests, the array without its batch axis sends one item ({@code float[]} for an
     * input of shape [batch, 6]), and a single value sends one item of an input of shape [batch]: {@code 17L} or
     * {@code 17} for an integer dtype, {@code 0.5f} or {@code 0.5} for a float one, {@code true} for bool (a tensor
     * of rank 0). Every input of one request is batched, or none is.
     *
     * @param values a Java array of primitives, nested as the input's shape; or a boxed primitive for rank 0
     * @throws IllegalArgumentException when the contract has no such input or the value holds another dtype
     */
    public Request with(String name, Object values) {
      InputSpec input = contract.input(name).orElseThrow(() -> new IllegalArgumentException(
          "the contract has no input '" + name + "'; its inputs are " + contract.inputNames()));
      return with(name, NestedArrays.toTensor(input, values));
    }

    /** Sets an input to a tensor as it is, without checks: for requests meant to break the contract. */
    public Request with(String name, Tensor tensor) {
      inputs.put(name, tensor);
      return this;
    }

    public Map<String, Tensor> inputs() {
      return Map.copyOf(inputs);
    }

    /** Sends the request as JSON: see {@link ContractClient#invoke(Map)}. */
    public Map<String, Tensor> invoke() {
      return ContractClient.this.invoke(inputs);
    }

    /** Sends the request in a format: see {@link ContractClient#invoke(Map, RequestFormat)}. */
    public Map<String, Tensor> invoke(RequestFormat format) {
      return ContractClient.this.invoke(inputs, format);
    }

    /** Sends the request in a format and returns the answer as it is, refusals included. */
    public Answer send(RequestFormat format) {
      return ContractClient.this.send(format.mediaType(), null, format.encode(inputs));
    }
  }

  /** An invocation answered with something else than named outputs: a refusal, or a broken answer. */
  public static final class InvocationFailed extends RuntimeException {

    private final transient Answer answer;

    InvocationFailed(Answer answer) {
      this(answer, "status " + answer.status() + ": " + answer.text());
    }

    InvocationFailed(Answer answer, String message) {
      super(message);
      this.answer = answer;
    }

    /** What the server answered: its status, and for a refusal the problem naming the input at fault. */
    public Answer answer() {
      return answer;
    }
  }
}
