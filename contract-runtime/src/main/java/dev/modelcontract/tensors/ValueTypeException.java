package dev.modelcontract.tensors;

/**
 * A well-formed tensor whose values are not of the declared dtype: a fraction for an integer input, a value out
 * of the dtype's range, NaN where the input does not allow it, a string for a number. The request breaks the
 * contract rather than JSON.
 */
public class ValueTypeException extends TensorFormatException {

  private final String name;
  private final String expected;
  private final String actual;

  public ValueTypeException(String name, String pointer, String expected, String actual) {
    super(pointer, "'" + name + "' at " + pointer + ": expected " + expected + ", but got " + actual);
    this.name = name;
    this.expected = expected;
    this.actual = actual;
  }

  /** The tensor (input) name. */
  public String name() {
    return name;
  }

  public String expected() {
    return expected;
  }

  public String actual() {
    return actual;
  }
}
