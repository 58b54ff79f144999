package dev.modelcontract.enforcement;

/** A request that does not meet the model contract: the client's fault, answered with a 4xx. */
public class ContractViolation extends Exception {

  private final String input;
  private final String pointer;
  private final String expected;
  private final String actual;

  /**
   * @param input the input the problem is about
   * @param pointer the JSON Pointer of the offending value in the request
   * @param expected what the contract asks for
   * @param actual what the request holds
   */
  public ContractViolation(String input, String pointer, String expected, String actual) {
    super("input '" + input + "': expected " + expected + ", but got " + actual);
    this.input = input;
    this.pointer = pointer;
    this.expected = expected;
    this.actual = actual;
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
