package dev.modelcontract.contract;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The marks {@code init} leaves in a drafted contract where it could not learn a value: the string {@code FILL IN}, or
 * {@code "FILL IN: what to write"}. A contract holding any is reported mark by mark, with its line and what to fill in,
 * instead of with the schema errors the placeholders would cause.
 */
public final class DraftMarks {

  /** The placeholder's text. */
  public static final String MARK = "FILL IN";

  private DraftMarks() {}

  /**
   * The mark for a value the user must write: {@code FILL IN: <todo>}, read back as
   * {@code "perhaps you should <todo>"}.
   */
  public static String mark(String todo) {
    return MARK + ": " + todo;
  }

  /** Every mark in a parsed contract file, in file order. */
  static List<ContractProblem> find(JsonNode document, SourceMap source) {
    List<ContractProblem> marks = new ArrayList<>();
    collect(document, document, "", source, marks);
    return marks;
  }

  private static void collect(JsonNode document, JsonNode node, String pointer, SourceMap source,
      List<ContractProblem> marks) {
    if (isMark(node)) {
      String todo = node.asString().substring(MARK.length()).replaceFirst("^:\\s*", "").strip();
      marks.add(new ContractProblem(source.describe(pointer), pointer,
          describe(document, pointer) + " is still to fill in (marked " + MARK + ")",
          todo.isEmpty() ? "write it (see docs/contract.md)" : todo));
    } else if (node.isObject()) {
      node.properties().forEach(entry -> collect(document, entry.getValue(),
          pointer + "/" + JsonPointer.escape(entry.getKey()), source, marks));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(document, node.get(i), pointer + "/" + i, source, marks);
      }
    }
  }

  private static boolean isMark(JsonNode node) {
    return node.isString() && (node.asString().equals(MARK) || node.asString().startsWith(MARK + ":"));
  }

  /** "the shape of input 'history'", "argument 2 of forward", or the field's pointer. */
  private static String describe(JsonNode document, String pointer) {
    String[] parts = pointer.substring(1).split("/");
    if (parts.length >= 3 && (parts[0].equals("inputs") || parts[0].equals("outputs")) && parts[1].matches("\\d+")) {
      JsonNode name = document.path(parts[0]).path(Integer.parseInt(parts[1])).path("name");
      String owner = parts[0].substring(0, parts[0].length() - 1) + (name.isString() && !isMark(name)
          ? " '" + name.asString() + "'" : " " + (Integer.parseInt(parts[1]) + 1));
      return "the " + String.join(" ", java.util.Arrays.copyOfRange(parts, 2, parts.length)) + " of " + owner;
    }
    if (parts.length >= 3 && parts[0].equals("forward") && parts[1].equals("arguments") && parts[2].matches("\\d+")) {
      return "argument " + (Integer.parseInt(parts[2]) + 1) + " of forward";
    }
    return "the field " + pointer;
  }
}
