package dev.modelcontract.contract;

import java.util.function.UnaryOperator;

/**
 * A request that does not meet the model contract: the caller's fault, answered with a 4xx. Raised wherever the
 * request is judged, from decoding a value of the wrong type to binding the inputs' shapes.
 */
public class ContractViolation extends Exception {

  private final String input;
  private final String pointer;
  private final String expected;
  private final String actual;
  /** Whether the message names the pointer ({@link #ofValue}), so that a relocated violation names the new one. */
  private final boolean namesPlace;

  /**
   * @param input the input the problem is about
   * @param pointer the JSON Pointer of the offending value in the request's tensors, e.g. {@code /input_1/0/3}
   * @param expected what the contract asks for
   * @param actual what the request holds
   */
  public ContractViolation(String input, String pointer, String expected, String actual) {
    this(input, pointer, expected, actual, false);
  }

  private ContractViolation(String input, String pointer, String expected, String actual, boolean namesPlace) {
    super((namesPlace ? "'" + input + "' at " + pointer : "input '" + input + "'") + ": expected " + expected
        + ", but got " + actual);
    this.input = input;
    this.pointer = pointer;
    this.expected = expected;
    this.actual = actual;
    this.namesPlace = namesPlace;
  }

  /** A violation whose message is written whole by the subclass, e.g. one about a request's statistics. */
  protected ContractViolation(String input, String pointer, String message) {
    super(message);
    this.input = input;
    this.pointer = pointer;
    this.expected = "";
    this.actual = "";
    this.namesPlace = false;
  }

  /** A value of the wrong type, range or finiteness; the message names its position. */
  public static ContractViolation ofValue(String input, String pointer, String expected, String actual) {
    return new ContractViolation(input, pointer, expected, actual, true);
  }

  /**
   * The same violation with its pointer, and the message where it names it, translated: from the request's tensors
   * to where the value sits in the body as sent.
   */
  public ContractViolation located(UnaryOperator<String> locate) {
    return new ContractViolation(input, locate.apply(pointer), expected, actual, namesPlace);
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
