package dev.modelcontract.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.modelcontract.enforcement.ContractViolation;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.inference.ContractModel;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.TensorFormatException;
import dev.modelcontract.tensors.ValueTypeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** POST /invocations: decode, enforce the contract, run the model, encode; every failure is a problem+json. */
final class InvocationsHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(InvocationsHandler.class);

  /** How many limits' worth of an oversized body is read and dropped before answering 413. */
  private static final long DISCARD_FACTOR = 4;

  private final Supplier<ContractModel> model;
  private final long maxRequestBytes;
  private final ExecutorService inference;
  private final JsonTensorWriter writer = new JsonTensorWriter();

  InvocationsHandler(Supplier<ContractModel> model, long maxRequestBytes, ExecutorService inference) {
    this.model = model;
    this.maxRequestBytes = maxRequestBytes;
    this.inference = inference;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Responses.send(exchange, serve(exchange));
    } catch (IOException e) {
      LOG.debug("connection failed while answering: {}", e.toString());
    } catch (RuntimeException e) {
      LOG.error("unexpected failure serving /invocations", e);
      Responses.trySend(exchange, Responses.problem(new Problem(500, "internal-error", "Internal server error",
          "the server failed unexpectedly; the request was not served, the server keeps serving")));
    }
  }

  private Responses.Response serve(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      return Responses.problem(new Problem(405, "method-not-allowed", "Method not allowed",
          exchange.getRequestMethod() + " is not served on /invocations; send POST"));
    }
    String contentType = MediaTypes.essence(exchange.getRequestHeaders().getFirst("Content-Type"));
    if (!MediaTypes.JSON.equals(contentType)) {
      return Responses.problem(new Problem(415, "unsupported-media-type", "Unsupported Content-Type",
          "the body's Content-Type is " + (contentType == null ? "missing" : "'" + contentType + "'")
              + "; this model accepts " + MediaTypes.JSON,
          Problem.members("supported", MediaTypes.JSON)));
    }
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    if (!MediaTypes.accepts(accept, MediaTypes.JSON)) {
      return Responses.problem(new Problem(406, "not-acceptable", "Not acceptable",
          "the Accept header '" + accept + "' admits no type this model answers with; it answers "
              + MediaTypes.JSON, Problem.members("supported", MediaTypes.JSON)));
    }
    ContractModel served = model.get();
    if (served == null) {
      return Responses.problem(new Problem(503, "model-loading", "Model not ready",
          "the model is still loading; retry once GET /ping answers 200"));
    }
    long declared = contentLength(exchange);
    if (declared > maxRequestBytes) {
      discardBody(exchange);
      return tooLarge(declared + " bytes");
    }
    Map<String, Tensor> request;
    try (InputStream body = new BoundedInputStream(exchange.getRequestBody(), maxRequestBytes)) {
      request = served.requestReader().read(body);
    } catch (BoundedInputStream.TooLarge e) {
      discardBody(exchange);
      return tooLarge("more bytes");
    } catch (ValueTypeException e) {
      return violation(e.getMessage(), e.name(), e.pointer(), e.expected(), e.actual());
    } catch (TensorFormatException e) {
      return Responses.problem(new Problem(400, "malformed-body", "Malformed request body", e.getMessage(),
          Problem.members("pointer", e.pointer())));
    }
    try {
      Map<String, Tensor> response = predict(served, request);
      ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
      writer.write(response, out);
      return new Responses.Response(200, MediaTypes.JSON, out.toByteArray());
    } catch (ContractViolation e) {
      return violation(e.getMessage(), e.input(), e.pointer(), e.expected(), e.actual());
    } catch (OutputMismatch e) {
      LOG.error("model output disagrees with the contract: {}", e.getMessage());
      return Responses.problem(new Problem(500, "output-mismatch", "Model output breaks the model contract",
          e.getMessage(), Problem.members("output", e.output())));
    } catch (ModelFailure e) {
      LOG.error("model failed on a request that met the contract: {}", e.getMessage());
      return Responses.problem(new Problem(500, "model-failure", "Model failed", e.getMessage()));
    }
  }

  /**
   * Runs the model on one of the {@code workers} inference threads, always the same ones: each thread that calls
   * into libtorch carries an OpenMP team of its own, so a few long-lived threads cost a few teams. Requests beyond
   * them wait in the executor's queue, their bodies already read.
   */
  private Map<String, Tensor> predict(ContractModel served, Map<String, Tensor> request)
      throws ContractViolation, OutputMismatch, ModelFailure {
    Future<Map<String, Tensor>> result = inference.submit(() -> served.predict(request));
    try {
      return result.get();
    } catch (InterruptedException e) {
      result.cancel(true);
      Thread.currentThread().interrupt();
      throw new ModelFailure("the server stopped while the request waited for the model", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ContractViolation violation) {
        throw violation;
      }
      if (cause instanceof OutputMismatch mismatch) {
        throw mismatch;
      }
      if (cause instanceof ModelFailure failure) {
        throw failure;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
  }

  private static Responses.Response violation(String detail, String input, String pointer, String expected,
      String actual) {
    return Responses.problem(new Problem(422, "contract-violation", "Request breaks the model contract", detail,
        Problem.members("input", input, "pointer", pointer, "expected", expected, "actual", actual)));
  }

  private Responses.Response tooLarge(String actual) {
    return Responses.problem(new Problem(413, "payload-too-large", "Request body too large",
        "the body has " + actual + " than the limit of " + maxRequestBytes + " bytes; split the batch",
        Problem.members("limit", Long.toString(maxRequestBytes))));
  }

  /**
   * Reads and drops what is left of an oversized body, up to a bound, so that a client still sending it reads
   * the 413 instead of a reset connection; past the bound the connection is closed.
   */
  private void discardBody(HttpExchange exchange) {
    try (InputStream body = exchange.getRequestBody()) {
      long left = DISCARD_FACTOR * maxRequestBytes;
      byte[] sink = new byte[64 * 1024];
      for (int n = body.read(sink); n > 0 && left > 0; n = body.read(sink)) {
        left -= n;
      }
    } catch (IOException e) {
      LOG.debug("client stopped sending an oversized body: {}", e.toString());
    }
  }

  private static long contentLength(HttpExchange exchange) {
    String value = exchange.getRequestHeaders().getFirst("Content-Length");
    try {
      return value == null ? -1 : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
