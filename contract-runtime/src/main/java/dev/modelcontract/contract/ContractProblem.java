package dev.modelcontract.contract;

/**
 * One thing wrong with a contract, stated so a user can fix it.
 *
 * @param location {@code file:line:column} of the field
 * @param pointer the JSON Pointer of the field, e.g. {@code /inputs/0/normalize/mean}
 * @param message what was expected and what was found
 * @param suggestion what to do about it
 */
public record ContractProblem(String location, String pointer, String message, String suggestion) {

  @Override
  public String toString() {
    return location + " (" + (pointer.isEmpty() ? "/" : pointer) + "): " + message + ", perhaps you should "
        + suggestion;
  }
}
