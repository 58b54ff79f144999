package dev.modelcontract.server;

import dev.modelcontract.enforcement.BoundRequest;
import dev.modelcontract.enforcement.ContractViolation;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.inference.ContractModel;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.tensors.JsonForm;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import dev.modelcontract.tensors.ValueTypeException;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /invocations: negotiate, decode, check against the contract (on the I/O thread: refusals never wait for
 * the model), queue for an inference thread, encode. Every failure is a problem+json.
 */
final class InvocationsHandler {

  private static final Logger LOG = LoggerFactory.getLogger(InvocationsHandler.class);

  private final Supplier<ContractModel> model;
  private final Supplier<InferenceQueue> queue;
  private final long maxRequestBytes;
  private final JsonTensorWriter writer = new JsonTensorWriter();

  InvocationsHandler(Supplier<ContractModel> model, Supplier<InferenceQueue> queue, long maxRequestBytes) {
    this.model = model;
    this.queue = queue;
    this.maxRequestBytes = maxRequestBytes;
  }

  CompletableFuture<Responses.Response> serve(FullHttpRequest request) {
    Responses.Response refusal = negotiate(request);
    if (refusal != null) {
      return CompletableFuture.completedFuture(refusal);
    }
    ContractModel served = model.get();
    InferenceQueue inference = queue.get();
    if (served == null || inference == null) {
      return CompletableFuture.completedFuture(Responses.problem(new Problem(503, "model-loading",
          "Model not ready", "the model is still loading; retry once GET /ping answers 200")));
    }
    BoundRequest bound;
    JsonForm form;
    try {
      JsonTensorReader.Request decoded = decode(served, request);
      form = decoded.form();
      bound = served.bind(decoded.tensors());
    } catch (Refused e) {
      return CompletableFuture.completedFuture(e.response);
    } catch (ContractViolation e) {
      return CompletableFuture.completedFuture(violation(e.getMessage(), e.input(), e.pointer(), e.expected(),
          e.actual()));
    }
    try {
      return inference.submit(bound).handle((response, failure) -> answer(form, response, failure));
    } catch (InferenceQueue.Full e) {
      return CompletableFuture.completedFuture(Responses.problem(new Problem(503, "overloaded", "Server overloaded",
          e.getMessage() + "; retry shortly")).withHeader("Retry-After", "1"));
    }
  }

  private Responses.Response negotiate(FullHttpRequest request) {
    String method = request.method().name();
    if (!"POST".equals(method)) {
      return RequestRouter.notAllowed(method, Routes.INVOCATIONS, "POST", "POST");
    }
    String contentType = MediaTypes.essence(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
    if (!MediaTypes.JSON.equals(contentType)) {
      return Responses.problem(new Problem(415, "unsupported-media-type", "Unsupported Content-Type",
          "the body's Content-Type is " + (contentType == null ? "missing" : "'" + contentType + "'")
              + "; this model accepts " + MediaTypes.JSON,
          Problem.members("supported", MediaTypes.JSON)));
    }
    String accept = request.headers().get(HttpHeaderNames.ACCEPT);
    if (!MediaTypes.accepts(accept, MediaTypes.JSON)) {
      return Responses.problem(new Problem(406, "not-acceptable", "Not acceptable",
          "the Accept header '" + accept + "' admits no type this model answers with; it answers "
              + MediaTypes.JSON, Problem.members("supported", MediaTypes.JSON)));
    }
    return null;
  }

  /** The body's tensors, decoded from its content coding with the size limit applied to the decoded bytes. */
  private JsonTensorReader.Request decode(ContractModel served, FullHttpRequest request) throws Refused {
    String coding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    try (InputStream body = new BoundedInputStream(ContentCodings.decoded(coding,
        new ByteBufInputStream(request.content())), maxRequestBytes)) {
      return served.requestReader().readRequest(body);
    } catch (BoundedInputStream.TooLarge e) {
      throw new Refused(Responses.problem(RequestGuard.tooLarge(maxRequestBytes, "more bytes, decoded,")));
    } catch (ValueTypeException e) {
      throw new Refused(violation(e.getMessage(), e.name(), e.pointer(), e.expected(), e.actual()));
    } catch (TensorFormatException e) {
      throw new Refused(Responses.problem(new Problem(400, "malformed-body", "Malformed request body",
          e.getMessage(), Problem.members("pointer", e.pointer()))));
    } catch (ZipException | java.io.EOFException e) {
      throw new Refused(Responses.problem(new Problem(400, "malformed-body", "Malformed request body",
          "the body is not valid " + coding + ": " + e.getMessage())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Responses.Response answer(JsonForm form, Map<String, Tensor> response, Throwable failure) {
    if (failure == null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
      writer.write(form, response, out);
      return new Responses.Response(200, MediaTypes.JSON, out.toByteArray());
    }
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof OutputMismatch e) {
      LOG.error("model output disagrees with the contract: {}", e.getMessage());
      return Responses.problem(new Problem(500, "output-mismatch", "Model output breaks the model contract",
          e.getMessage(), Problem.members("output", e.output())));
    }
    if (cause instanceof ModelFailure e) {
      LOG.error("model failed on a request that met the contract: {}", e.getMessage());
      return Responses.problem(new Problem(500, "model-failure", "Model failed", e.getMessage()));
    }
    throw new CompletionException(cause);
  }

  private static Responses.Response violation(String detail, String input, String pointer, String expected,
      String actual) {
    return Responses.problem(new Problem(422, "contract-violation", "Request breaks the model contract", detail,
        Problem.members("input", input, "pointer", pointer, "expected", expected, "actual", actual)));
  }

  /** A request refused while decoding, with its answer. */
  private static final class Refused extends Exception {
    private final transient Responses.Response response;

    Refused(Responses.Response response) {
      super(null, null, false, false);
      this.response = response;
    }
  }
}
