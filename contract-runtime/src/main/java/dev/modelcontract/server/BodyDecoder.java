package dev.modelcontract.server;

/** Decodes bodies of one media type into requests: one per media type, registered in {@link BodyFormats}. */
@FunctionalInterface
interface BodyDecoder {

  /**
   * @throws RequestRefused when the body is not a well-formed request of its type, or a value in it breaks the
   *     contract's dtype rules
   */
  DecodedBody decode(byte[] body) throws RequestRefused;
}
