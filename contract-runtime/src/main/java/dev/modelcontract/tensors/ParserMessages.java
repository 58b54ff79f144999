package dev.modelcontract.tensors;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;

/**
 * A JSON or CSV parser's complaint about a body in the request's terms: what in the text is wrong and where, never
 * the parser's settings, class names or features that the caller cannot change.
 */
final class ParserMessages {

  /** Jackson's size limits: "Number value length (1001) exceeds the maximum allowed (1000, from `…`)". */
  private static final Pattern LIMIT = Pattern.compile(
      "(Number value|String value|Name|Document nesting depth)(?: length)? \\((\\d+)\\) exceeds the maximum allowed"
          + " \\((\\d+)[^)]*\\)");
  /**
   * A parenthetical or a clause that names the parser's code: a class, a method, a feature to enable, or its own
   * view of the source ("start marker at [Source: REDACTED; byte offset: #UNKNOWN]").
   */
  private static final Pattern LIBRARY = Pattern.compile(
      "\\s*\\((?:[^()]*(?:`|Feature|enable|Source:)[^()]*)\\)|\\s*[;:,]?\\s*(?:enable|use) `[^`]*`[^;.)]*"
          + "|\\s*`[^`]*`");

  private ParserMessages() {}

  static String of(JacksonException e) {
    return of(e.getOriginalMessage());
  }

  static String of(String message) {
    if (message == null) {
      return "unreadable text";
    }
    Matcher limit = LIMIT.matcher(message);
    if (limit.find()) {
      // A string's or a name's count is where the parser stopped, which depends on how much of the text it had
      // buffered (a byte array, a stream): only the limit is told.
      return switch (limit.group(1)) {
        case "String value" -> "a string longer than the " + limit.group(3) + " characters this server reads";
        case "Name" -> "a member name longer than the " + limit.group(3) + " characters this server reads";
        case "Number value" -> "a number of " + limit.group(2) + " characters, more than the " + limit.group(3)
            + " this server reads";
        default -> "values nested " + limit.group(2) + " levels deep, more than the " + limit.group(3)
            + " this server reads";
      };
    }
    // Until nothing changes: a parenthetical about the source holds one about the feature that would show it.
    String cleaned = message;
    for (String before = null; !cleaned.equals(before); ) {
      before = cleaned;
      cleaned = LIBRARY.matcher(cleaned).replaceAll("");
    }
    cleaned = cleaned.strip();
    return cleaned.endsWith(":") ? cleaned.substring(0, cleaned.length() - 1) : cleaned;
  }
}
