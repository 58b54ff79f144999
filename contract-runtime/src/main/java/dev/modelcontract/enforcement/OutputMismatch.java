package dev.modelcontract.enforcement;

/**
 * The model produced something the contract does not describe: the contract or the model is wrong, never the
 * client. At build time it fails the dry run; at serving time it is a 500 that says so.
 */
public class OutputMismatch extends Exception {

  private final String output;
  private final String pointer;

  /**
   * @param output the contract's output name
   * @param pointer the JSON Pointer in the contract file of the field that disagrees with the model
   * @param message what the contract says and what the model did
   */
  public OutputMismatch(String output, String pointer, String message) {
    super(message);
    this.output = output;
    this.pointer = pointer;
  }

  public String output() {
    return output;
  }

  public String pointer() {
    return pointer;
  }
}
