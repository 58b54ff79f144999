package dev.modelcontract.server;

import dev.modelcontract.contract.JsonPointer;
import dev.modelcontract.enforcement.BoundRequest;
import dev.modelcontract.enforcement.ContractViolation;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.inference.ContractModel;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.tensors.JsonForm;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Npz;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import dev.modelcontract.tensors.ValueTypeException;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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
  private volatile BodyFormats formats;

  InvocationsHandler(Supplier<ContractModel> model, Supplier<InferenceQueue> queue, long maxRequestBytes) {
    this.model = model;
    this.queue = queue;
    this.maxRequestBytes = maxRequestBytes;
  }

  CompletableFuture<Responses.Response> serve(FullHttpRequest request) {
    String method = request.method().name();
    if (!"POST".equals(method)) {
      return CompletableFuture.completedFuture(RequestRouter.notAllowed(method, Routes.INVOCATIONS, "POST", "POST"));
    }
    ContractModel served = model.get();
    InferenceQueue inference = queue.get();
    if (served == null || inference == null) {
      return CompletableFuture.completedFuture(Responses.problem(new Problem(503, "model-loading",
          "Model not ready", "the model is still loading; retry once GET /ping answers 200")));
    }
    BodyFormats formats = formats(served);
    String contentType = MediaTypes.essence(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
    String answerType;
    try {
      answerType = negotiate(formats, request, contentType);
    } catch (Refused e) {
      return CompletableFuture.completedFuture(e.response);
    }
    List<Line> lines;
    try {
      lines = MediaTypes.JSON_LINES.equals(contentType) ? lines(served, request)
          : List.of(single(formats, contentType, request));
    } catch (Refused e) {
      return CompletableFuture.completedFuture(e.response);
    }
    List<CompletableFuture<Map<String, Tensor>>> answers;
    try {
      answers = inference.submit(lines.stream().map(Line::bound).toList());
    } catch (InferenceQueue.Full e) {
      return CompletableFuture.completedFuture(Responses.problem(new Problem(503, "overloaded", "Server overloaded",
          e.getMessage() + "; retry shortly")).withHeader("Retry-After", "1"));
    }
    if (answers.size() == 1 && !MediaTypes.JSON_LINES.equals(contentType)) {
      Line line = lines.get(0);
      return answers.get(0).handle((response, failure) -> failure != null ? failed(failure)
          : new Responses.Response(200, answerType, formats.encode(answerType, line.form(), line.id(), response)));
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .handle((done, failure) -> failure != null ? failed(failure) : jsonLines(formats, lines, answers));
  }

  /** The formats of the model being served, made once per loaded model. */
  private BodyFormats formats(ContractModel served) {
    BodyFormats current = formats;
    if (current == null || current.model() != served) {
      current = new BodyFormats(served, maxRequestBytes);
      formats = current;
    }
    return current;
  }

  /**
   * The most lines one JSON Lines body may hold: each becomes a queued request, so lines are counted, not only
   * bytes (a 6 MB body of {@code {}} lines would be two million requests).
   */
  static final int MAX_LINES = 10_000;

  /** A checked request, the JSON form its answer takes and the id it repeats (Open Inference Protocol). */
  private record Line(JsonForm form, String id, BoundRequest bound) {}

  private Line single(BodyFormats formats, String contentType, FullHttpRequest request) throws Refused {
    byte[] body = body(request);
    try {
      return checked(formats.model(), formats.decode(contentType, body, 0, body.length), "");
    } catch (IOException e) {
      throw refusedWhileReading(e, null);
    } catch (TensorFormatException e) {
      throw refusedWhileDecoding(e, "");
    } catch (Npz.TooLarge e) {
      throw new Refused(Responses.problem(RequestGuard.tooLarge(maxRequestBytes, "more bytes, unpacked,")));
    }
  }

  /** The body as sent, its content coding undone, within the size limit. */
  private byte[] body(FullHttpRequest request) throws Refused {
    String coding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    if (coding == null) {
      return ByteBufUtil.getBytes(request.content()); // the aggregator already held it to the limit
    }
    try (InputStream in = new BoundedInputStream(ContentCodings.decoded(coding,
        new ByteBufInputStream(request.content())), maxRequestBytes)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw refusedWhileReading(e, coding);
    }
  }

  /** One request per non-blank line, each checked like a whole body; a problem names its line. */
  private List<Line> lines(ContractModel served, FullHttpRequest request) throws Refused {
    byte[] body = body(request);
    List<Line> lines = new ArrayList<>();
    int number = 0;
    for (int start = 0; start < body.length; ) {
      int end = start;
      while (end < body.length && body[end] != '\n') {
        end++;
      }
      number++;
      if (!isBlank(body, start, end) && lines.size() == MAX_LINES) {
        throw new Refused(Responses.problem(new Problem(413, "payload-too-large", "Request body too large",
            "the JSON Lines body has more than " + MAX_LINES + " lines; split it",
            Problem.members("limit", MAX_LINES + " lines"))));
      }
      if (!isBlank(body, start, end)) {
        String where = "line " + number + ": ";
        try {
          lines.add(checked(served, served.requestReader().readRequest(body, start, end - start), where));
        } catch (TensorFormatException e) {
          throw refusedWhileDecoding(e, where);
        } catch (IOException e) {
          throw refusedWhileReading(e, null);
        }
      }
      start = end + 1;
    }
    if (lines.isEmpty()) {
      throw new Refused(Responses.problem(new Problem(400, "malformed-body", "Malformed request body",
          "the JSON Lines body holds no line")));
    }
    return lines;
  }

  private static boolean isBlank(byte[] body, int start, int end) {
    for (int i = start; i < end; i++) {
      if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  private static Line checked(ContractModel served, JsonTensorReader.Request decoded, String where) throws Refused {
    JsonForm form = decoded.form();
    BoundRequest bound;
    try {
      bound = served.bind(decoded.tensors());
    } catch (ContractViolation e) {
      throw new Refused(violation(where + e.getMessage(), e.input(), inBody(decoded, e.pointer()), e.expected(),
          e.actual()));
    }
    if (form == JsonForm.INSTANCES && (served.contract().batch().isEmpty() || bound.unbatched())) {
      throw new Refused(violation(where + "'instances' are batch items, but this request did not bind as a"
          + " batch", null, "/instances", "a contract with a batch axis, and instances without it",
          served.contract().batch().isEmpty() ? "a contract without a batch axis" : "instances of the batch item's"
              + " shape with one axis fewer"));
    }
    return new Line(form, decoded.id(), bound);
  }

  /**
   * Where a value the contract refused sits in the body as sent: under {@code inputs}, for instances (stacked
   * along the first axis) at {@code /instances/<row>/<name>/…}, for the Open Inference Protocol at the input's
   * flat {@code data}.
   */
  private static String inBody(JsonTensorReader.Request decoded, String pointer) {
    JsonForm form = decoded.form();
    if (form == JsonForm.OPEN_INFERENCE) {
      int index = 0;
      for (String name : decoded.tensors().keySet()) {
        String input = "/" + JsonPointer.escape(name);
        if (pointer.equals(input) || pointer.startsWith(input + "/")) {
          return "/inputs/" + index + "/data";
        }
        index++;
      }
      return "/inputs";
    }
    if (form == JsonForm.INPUTS) {
      return "/inputs" + pointer;
    }
    if (form == JsonForm.INSTANCES) {
      String[] parts = pointer.split("/", 4);
      return parts.length < 3 ? "/instances" : "/instances/" + parts[2] + "/" + parts[1]
          + (parts.length == 4 ? "/" + parts[3] : "");
    }
    return pointer;
  }

  private Refused refusedWhileReading(IOException e, String coding) {
    if (e instanceof BoundedInputStream.TooLarge) {
      return new Refused(Responses.problem(RequestGuard.tooLarge(maxRequestBytes, "more bytes, decoded,")));
    }
    if (e instanceof ZipException || e instanceof EOFException) {
      return new Refused(Responses.problem(new Problem(400, "malformed-body", "Malformed request body",
          "the body is not valid " + coding + ": " + e.getMessage())));
    }
    if (e instanceof CharConversionException) {
      return new Refused(Responses.problem(new Problem(400, "malformed-body", "Malformed request body",
          "the body is not valid JSON text: " + e.getMessage())));
    }
    throw new UncheckedIOException(e);
  }

  private static Refused refusedWhileDecoding(TensorFormatException e, String where) {
    if (e instanceof ValueTypeException value) {
      return new Refused(violation(where + e.getMessage(), value.name(), e.pointer(), value.expected(),
          value.actual()));
    }
    return new Refused(Responses.problem(new Problem(400, "malformed-body", "Malformed request body",
        where + e.getMessage(), Problem.members("pointer", e.pointer()))));
  }

  private Responses.Response jsonLines(BodyFormats formats, List<Line> lines,
      List<CompletableFuture<Map<String, Tensor>>> answers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    for (int i = 0; i < lines.size(); i++) {
      formats.encode(MediaTypes.JSON, lines.get(i).form(), lines.get(i).id(), answers.get(i).join(), out);
      out.write('\n');
    }
    return new Responses.Response(200, MediaTypes.JSON_LINES, out.toByteArray());
  }

  /**
   * The answer type for a request: 415 for a body type this model does not read (naming those it does), 406 for an
   * Accept header that admits none of the types the answer may take.
   */
  private static String negotiate(BodyFormats formats, FullHttpRequest request, String contentType) throws Refused {
    List<String> readable = formats.requestTypes();
    if (contentType == null || !readable.contains(contentType)) {
      String supported = String.join(", ", readable);
      String why = formats.whyNot(contentType);
      throw new Refused(Responses.problem(new Problem(415, "unsupported-media-type", "Unsupported Content-Type",
          "the body's Content-Type is " + (contentType == null ? "missing" : "'" + contentType + "'")
              + (why == null ? "" : ": " + why) + "; this model accepts " + supported,
          Problem.members("supported", supported))));
    }
    List<String> answerable = formats.answerTypes(contentType);
    String accept = request.headers().get(HttpHeaderNames.ACCEPT);
    String chosen = MediaTypes.negotiate(accept, answerable);
    if (chosen == null) {
      String supported = String.join(", ", answerable);
      throw new Refused(Responses.problem(new Problem(406, "not-acceptable", "Not acceptable",
          "the Accept header '" + accept + "' admits no type this model answers " + contentType + " bodies with;"
              + " it answers " + supported, Problem.members("supported", supported))));
    }
    return chosen;
  }

  private static Responses.Response failed(Throwable failure) {
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
