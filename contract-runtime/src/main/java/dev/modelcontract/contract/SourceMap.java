package dev.modelcontract.contract;

import java.util.Map;

/**
 * Where each field of a contract file was written.
 *
 * @param file the contract file as the user named it
 * @param lines the line and column of each field, keyed by JSON Pointer
 */
public record SourceMap(String file, Map<String, Location> lines) {

  public SourceMap {
    lines = Map.copyOf(lines);
  }

  /** A line and column, both counted from 1. */
  public record Location(int line, int column) {}

  /**
   * {@code file:line:column} of the field at the pointer, or of its nearest enclosing field when the pointer
   * names something the file does not contain (a missing key, say).
   */
  public String describe(String pointer) {
    String current = pointer;
    while (true) {
      Location location = lines.get(current);
      if (location != null) {
        return file + ":" + location.line() + ":" + location.column();
      }
      if (current.isEmpty()) {
        return file;
      }
      current = current.substring(0, Math.max(0, current.lastIndexOf('/')));
    }
  }
}
