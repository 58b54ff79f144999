package dev.modelcontract.draft;

/** A model file or sample request that init cannot draft a contract from; the message says what to do. */
public class DraftException extends Exception {

  public DraftException(String message) {
    super(message);
  }

  public DraftException(String message, Throwable cause) {
    super(message, cause);
  }
}
