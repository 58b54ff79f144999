package dev.modelcontract.server;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.enforcement.OutputMismatch;
import dev.modelcontract.enforcement.SkewGuard;
import dev.modelcontract.enforcement.SkewViolation;
import dev.modelcontract.inference.ModelFailure;
import dev.modelcontract.tensors.Envelope;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.ZipException;

/**
 * What each failure of a request is answered with: the one place that turns the decoders', the contract checks'
 * and the model's exceptions into problems of the {@link ProblemType catalogue}.
 */
final class Refusals {

  private Refusals() {}

  /** A body that is not a well-formed request of its type. */
  static RequestRefused malformed(TensorFormatException e, String where) {
    return new RequestRefused(ProblemType.MALFORMED_BODY.problem(where + e.getMessage(), "pointer", e.pointer()));
  }

  /**
   * A request that breaks the contract, its pointer (and its text, where that names the place) translated to where
   * the value sits in the body as sent.
   *
   * @param where the request's place in a body of several (e.g. {@code "line 3: "}), or empty
   */
  static RequestRefused violation(ContractViolation e, String where, Envelope envelope) {
    if (e instanceof SkewViolation skew) {
      SkewViolation located = skew.located(envelope::locate);
      return new RequestRefused(ProblemType.INPUT_SKEW.problem(where + located.getMessage(), "input",
          located.input(), "pointer", located.pointer(), "feature", located.feature(), "shift",
          SkewGuard.number(located.shift()), "diagnosis", located.diagnosis().slug()));
    }
    ContractViolation located = e.located(envelope::locate);
    return violation(where + located.getMessage(), located.input(), located.pointer(), located.expected(),
        located.actual());
  }

  static RequestRefused violation(String detail, String input, String pointer, String expected, String actual) {
    return new RequestRefused(ProblemType.CONTRACT_VIOLATION.problem(detail, "input", input, "pointer", pointer,
        "expected", expected, "actual", actual));
  }

  /** A body over the limit; {@code actual} completes "the body has … than the limit". */
  static Problem tooLarge(long limit, String actual) {
    return ProblemType.PAYLOAD_TOO_LARGE.problem("the body has " + actual + " than the limit of " + limit
        + " bytes; split the batch", "limit", Long.toString(limit));
  }

  /** A body whose bytes could not be read: a broken content coding, or text in no encoding JSON allows. */
  static RequestRefused whileReading(IOException e, String coding, long limit) {
    if (e instanceof BoundedInputStream.TooLarge) {
      return new RequestRefused(tooLarge(limit, "more bytes, decoded,"));
    }
    if (coding == null) {
      // The text itself, read from bytes in memory: nothing can fail but an encoding JSON does not allow (a byte
      // order mark or a UTF-32 byte order the parser does not read, invalid characters).
      return new RequestRefused(ProblemType.MALFORMED_BODY.problem("the body is not JSON text in UTF-8, UTF-16 or"
          + " UTF-32: " + e.getMessage()));
    }
    if (e instanceof ZipException || e instanceof EOFException) {
      return new RequestRefused(ProblemType.MALFORMED_BODY.problem("the body is not valid " + coding + ": "
          + e.getMessage()));
    }
    throw new UncheckedIOException(e);
  }

  /** 405, naming the method to send and listing the allowed ones. */
  static RequestRefused notAllowed(String method, String path, String send, String allow) {
    return new RequestRefused(ProblemType.METHOD_NOT_ALLOWED.problem(method + " is not served on " + path + "; send "
        + send)).withHeader("Allow", allow);
  }

  /**
   * A request that met the contract and failed in or after the model: a 500 that says whose fault it is.
   *
   * @return null when the failure is none of the model's known failures
   */
  static Problem modelFailed(Throwable cause) {
    if (cause instanceof OutputMismatch e) {
      return ProblemType.OUTPUT_MISMATCH.problem(e.getMessage(), "output", e.output());
    }
    if (cause instanceof ModelFailure e) {
      return ProblemType.MODEL_FAILURE.problem(e.getMessage());
    }
    return null;
  }
}
