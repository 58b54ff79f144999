package dev.modelcontract.server;

import dev.modelcontract.enforcement.BoundRequest;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.tensors.JsonForm;
import dev.modelcontract.tensors.Tensor;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An inference route (POST /invocations, and the Open Inference Protocol's POST /v2/models/NAME/infer, which takes
 * that protocol's JSON body only): negotiate the types, undo the content coding, decode by media type, check
 * against the contract (refusals never wait for the model), queue for an inference thread, encode. Each step is one
 * call into its own class; every refusal is a problem+json. Small bodies are decoded on the I/O thread, large ones
 * on a {@link DecodePool} thread, so that none holds the event loop.
 */
final class InvocationsHandler {

  private static final Logger LOG = LoggerFactory.getLogger(InvocationsHandler.class);

  private final Supplier<ContractModel> model;
  private final Supplier<InferenceQueue> queue;
  private final long maxRequestBytes;
  private final boolean multiRecord;
  private final DecodePool decoders;
  private final Optional<String> modelName;
  private volatile BodyFormats formats;

  /**
   * @param multiRecord whether each line of a CSV body is a record of its own (a MULTI_RECORD batch transform job)
   * @param modelName the model's name in Open Inference Protocol answers; empty for the contract's default
   */
  InvocationsHandler(Supplier<ContractModel> model, Supplier<InferenceQueue> queue, long maxRequestBytes,
      boolean multiRecord, DecodePool decoders, Optional<String> modelName) {
    this.model = model;
    this.queue = queue;
    this.maxRequestBytes = maxRequestBytes;
    this.multiRecord = multiRecord;
    this.decoders = decoders;
    this.modelName = modelName;
  }

  /** POST /invocations: a body in any format the contract can be sent in. */
  CompletableFuture<Responses.Response> serve(FullHttpRequest request, String path) {
    return serve(request, path, false);
  }

  /** POST /v2/models/NAME/infer: an Open Inference Protocol body, answered as /invocations answers one. */
  CompletableFuture<Responses.Response> serveOpenInference(FullHttpRequest request, String path) {
    return serve(request, path, true);
  }

  private CompletableFuture<Responses.Response> serve(FullHttpRequest request, String path, boolean openInference) {
    try {
      if (!"POST".equals(request.method().name())) {
        throw Refusals.notAllowed(request.method().name(), path, "POST", "POST");
      }
      ContractModel served = model.get();
      InferenceQueue inference = queue.get();
      if (served == null || inference == null) {
        throw new RequestRefused(ProblemType.MODEL_LOADING.problem("the model is still loading; retry once GET"
            + " /ping (or GET /v2/health/ready) answers 200"));
      }
      BodyFormats formats = formats(served);
      String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
      String accept = request.headers().get(HttpHeaderNames.ACCEPT);
      Negotiation negotiated = openInference ? Negotiation.openInference(formats, contentType, accept)
          : Negotiation.of(formats, contentType, accept);
      String coding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
      ByteBuf content = request.content();
      if (content.readableBytes() < DecodePool.OFFLOAD_BYTES && !ContentCodings.isCompressed(coding)) {
        return infer(served, inference, formats, negotiated, ContentCodings.decodedBody(content, coding,
            maxRequestBytes), openInference);
      }
      ByteBuf held = content.retainedDuplicate();
      return decoders.submit(() -> {
        try {
          return infer(served, inference, formats, negotiated, ContentCodings.decodedBody(held, coding,
              maxRequestBytes), openInference);
        } finally {
          held.release();
        }
      }, held::release);
    } catch (RequestRefused e) {
      return CompletableFuture.completedFuture(e.response());
    }
  }

  /**
   * Decodes a body, checks it against the contract and queues it for the model; the answer once it ran.
   *
   * @param openInference whether the body must be in the Open Inference Protocol's form
   */
  private static CompletableFuture<Responses.Response> infer(ContractModel served, InferenceQueue inference,
      BodyFormats formats, Negotiation negotiated, byte[] body, boolean openInference) throws RequestRefused {
    DecodedBody decoded = negotiated.decoder().decode(body);
    JsonForm form = decoded.parts().get(0).request().envelope().form();
    if (openInference && form != JsonForm.OPEN_INFERENCE) {
      throw new RequestRefused(ProblemType.MALFORMED_BODY.problem("the body is in the " + form.name().toLowerCase(Locale.ROOT)
          .replace('_', ' ') + " form; the Open"
          + " Inference Protocol's infer route takes that protocol's body, {\"inputs\": [{\"name\", \"shape\","
          + " \"datatype\", \"data\"}, …]}; send other forms to POST " + Routes.INVOCATIONS, "pointer", ""));
    }
    List<BoundRequest> bound = Admission.bind(served, decoded);
    return answer(formats, negotiated.answerType(), decoded, submit(inference, bound));
  }

  /** The formats of the model being served, made once per loaded model; they hold its served name. */
  BodyFormats formats(ContractModel served) {
    BodyFormats current = formats;
    if (current == null || current.contract() != served.contract()) {
      current = new BodyFormats(served.contract(), modelName.orElseGet(served.contract()::defaultName),
          maxRequestBytes, multiRecord);
      formats = current;
    }
    return current;
  }

  private static List<CompletableFuture<Map<String, Tensor>>> submit(InferenceQueue inference,
      List<BoundRequest> bound) throws RequestRefused {
    try {
      return inference.submit(bound);
    } catch (InferenceQueue.Full e) {
      throw new RequestRefused(ProblemType.OVERLOADED.problem(e.getMessage() + "; retry shortly"))
          .withHeader("Retry-After", "1");
    }
  }

  private static CompletableFuture<Responses.Response> answer(BodyFormats formats, String answerType,
      DecodedBody decoded, List<CompletableFuture<Map<String, Tensor>>> answers) {
    CompletableFuture<List<Map<String, Tensor>>> outputs = answers.size() == 1
        ? answers.get(0).thenApply(List::of)
        : CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
            .thenApply(done -> answers.stream().map(CompletableFuture::join).toList());
    return outputs.handle((done, failure) -> failure != null ? failed(failure)
        : new Responses.Response(200, answerType, formats.encode(answerType, decoded, done)));
  }

  private static Responses.Response failed(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    Problem problem = Refusals.modelFailed(cause);
    if (problem == null) {
      throw new CompletionException(cause);
    }
    LOG.error("{} on a request that met the contract: {}", problem.title(), problem.detail());
    return Responses.problem(problem);
  }
}
