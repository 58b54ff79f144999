package dev.modelcontract.tensors;

/** A request body that is not a well-formed set of named tensors. */
public class TensorFormatException extends Exception {

  private final String pointer;

  /**
   * @param pointer the JSON Pointer of the offending value, e.g. {@code /input_1/3/2}
   * @param message what was expected and what was found
   */
  public TensorFormatException(String pointer, String message) {
    super(message);
    this.pointer = pointer;
  }

  public String pointer() {
    return pointer;
  }
}
