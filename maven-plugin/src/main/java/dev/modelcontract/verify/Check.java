package dev.modelcontract.verify;

/**
 * One verified claim about a running image.
 *
 * @param name what was checked
 * @param passed whether it held
 * @param detail what was seen (for a failure: expected and actual)
 */
public record Check(String name, boolean passed, String detail) {

  public static Check pass(String name, String detail) {
    return new Check(name, true, detail);
  }

  public static Check fail(String name, String detail) {
    return new Check(name, false, detail);
  }
}
