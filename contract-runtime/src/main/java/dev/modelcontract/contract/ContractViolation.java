package dev.modelcontract.contract;

/**
 * A request that does not meet the model contract: the caller's fault, answered with a 4xx. Raised wherever the
 * request is judged, from decoding a value of the wrong type to binding the inputs' shapes.
 */
public class ContractViolation extends Exception {

  private final String input;
  private final String pointer;
  private final String expected;
  private final String actual;

  /**
   * @param input the input the problem is about
   * @param pointer the JSON Pointer of the offending value in the request's tensors, e.g. {@code /input_1/0/3}
   * @param expected what the contract asks for
   * @param actual what the request holds
   */
  public ContractViolation(String input, String pointer, String expected, String actual) {
    this("input '" + input + "': expected " + expected + ", but got " + actual, input, pointer, expected, actual);
  }

  private ContractViolation(String message, String input, String pointer, String expected, String actual) {
    super(message);
    this.input = input;
    this.pointer = pointer;
    this.expected = expected;
    this.actual = actual;
  }

  /** A value of the wrong type, range or finiteness, found while a body is decoded; the message names its position. */
  public static ContractViolation ofValue(String input, String pointer, String expected, String actual) {
    return new ContractViolation("'" + input + "' at " + pointer + ": expected " + expected + ", but got " + actual,
        input, pointer, expected, actual);
  }

  public String input() {
    return input;
  }

  public String pointer() {
    return pointer;
  }

  public String expected() {
    return expected;
  }

  public String actual() {
    return actual;
  }
}
