package dev.modelcontract.server;

import java.util.List;

/**
 * The decoder for a request's Content-Type and the answer type its Accept header chooses: 415 for a body type this
 * model does not read (naming those it does), 406 for an Accept header that admits none of the types the answer
 * may take.
 */
record Negotiation(BodyDecoder decoder, String answerType) {

  static Negotiation of(BodyFormats formats, String contentTypeHeader, String accept) throws RequestRefused {
    String contentType = MediaTypes.essence(contentTypeHeader);
    BodyDecoder decoder = contentType == null ? null : formats.decoder(contentType);
    if (decoder == null) {
      String supported = String.join(", ", formats.requestTypes());
      String why = formats.whyNot(contentType);
      throw new RequestRefused(ProblemType.UNSUPPORTED_MEDIA_TYPE.problem("the body's Content-Type is "
          + (contentType == null ? "missing" : "'" + contentType + "'") + (why == null ? "" : ": " + why)
          + "; this model accepts " + supported, "supported", supported));
    }
    List<String> answerable = formats.answerTypes(contentType);
    String chosen = MediaTypes.negotiate(accept, answerable);
    if (chosen == null) {
      String supported = String.join(", ", answerable);
      throw new RequestRefused(ProblemType.NOT_ACCEPTABLE.problem("the Accept header '" + accept + "' admits no"
          + " type this model answers " + contentType + " bodies with; it answers " + supported, "supported",
          supported));
    }
    return new Negotiation(decoder, chosen);
  }

  /**
   * The Open Inference Protocol's infer route: a JSON body (a missing Content-Type is read as JSON, the protocol's
   * only body, which some of its clients send without one), answered in JSON.
   */
  static Negotiation openInference(BodyFormats formats, String contentTypeHeader, String accept)
      throws RequestRefused {
    String contentType = MediaTypes.essence(contentTypeHeader);
    if (contentType != null && !MediaTypes.JSON.equals(contentType)) {
      throw new RequestRefused(ProblemType.UNSUPPORTED_MEDIA_TYPE.problem("the body's Content-Type is '" + contentType
          + "'; the Open Inference Protocol's infer route takes its JSON body, " + MediaTypes.JSON + " (its binary"
          + " tensor extension is not served); send other formats to POST " + Routes.INVOCATIONS, "supported",
          MediaTypes.JSON));
    }
    if (MediaTypes.negotiate(accept, List.of(MediaTypes.JSON)) == null) {
      throw new RequestRefused(ProblemType.NOT_ACCEPTABLE.problem("the Accept header '" + accept + "' does not admit "
          + MediaTypes.JSON + ", the Open Inference Protocol's answer", "supported", MediaTypes.JSON));
    }
    return new Negotiation(formats.decoder(MediaTypes.JSON), MediaTypes.JSON);
  }
}
