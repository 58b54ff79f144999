package dev.modelcontract.draft;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a TorchScript model's {@code forward} takes and returns, read from the code inside its file: the arguments'
 * names, order and types, the return type and, for a {@code Dict[str, Tensor]} written as a literal in the code,
 * its keys.
 *
 * @param rootClass the module's qualified class name, e.g. {@code __torch__.PriceVolumeLstm}
 * @param parameters forward's arguments after {@code self}, in order
 * @param returns the declared return type
 * @param returnedKeys the keys of the returned dict where the code writes them as a literal ({@code {"a": x}}),
 *     in the code's order; empty where it does not (a dict filled key by key, or no dict)
 */
public record ForwardSignature(String rootClass, List<Parameter> parameters, TorchType returns,
    Optional<List<String>> returnedKeys) {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public ForwardSignature {
    parameters = List.copyOf(parameters);
    returnedKeys = returnedKeys.map(List::copyOf);
  }

  /**
   * One argument of forward.
   *
   * @param name its name in the code
   * @param type its declared type
   * @param defaultValue its default as the code writes it ({@code None}, {@code 1.}), where it has one
   */
  public record Parameter(String name, TorchType type, Optional<String> defaultValue) {

    @Override
    public String toString() {
      return name + ": " + type + defaultValue.map(value -> "=" + value).orElse("");
    }
  }

  /** Reads the signature of the root module's forward from a TorchScript file. */
  public static ForwardSignature read(Path file) throws DraftException {
    TorchScriptCode code = TorchScriptCode.read(file);
    return parse(code.rootClass(), code.simpleName(), code.source(), file.getFileName().toString());
  }

  /**
   * Reads forward's signature from the code file of a class.
   *
   * @param where how messages name the model file
   */
  static ForwardSignature parse(String rootClass, String simpleName, String source, String where)
      throws DraftException {
    Matcher classLine = Pattern.compile("(?m)^class " + Pattern.quote(simpleName) + "\\b.*:\\s*$").matcher(source);
    if (!classLine.find()) {
      throw new DraftException(where + " holds no code for class " + simpleName + ": re-save it with torch.jit.save");
    }
    Matcher nextClass = Pattern.compile("(?m)^class ").matcher(source);
    int classEnd = nextClass.find(classLine.end()) ? nextClass.start() : source.length();
    String body = source.substring(classLine.end(), classEnd);
    Matcher def = Pattern.compile("(?m)^( +)def forward\\(").matcher(body);
    if (!def.find()) {
      throw new DraftException(where + "'s module " + simpleName + " has no forward method to serve");
    }
    int open = def.end() - 1;
    int close = TopLevel.closing(body, open);
    int lineEnd = body.indexOf('\n', close);
    String header = body.substring(close + 1, lineEnd < 0 ? body.length() : lineEnd).strip();
    if (!header.startsWith("->") || !header.endsWith(":")) {
      throw new DraftException(where + "'s forward has no return type in its code (" + header + ")");
    }
    TorchType returns = TorchType.parse(header.substring(2, header.length() - 1));
    List<Parameter> parameters = parameters(body.substring(open + 1, close));
    String forwardBody = lineEnd < 0 ? "" : methodBody(body.substring(lineEnd + 1), def.group(1).length());
    Optional<List<String>> keys = returns.isTensorDict() ? returnedKeys(forwardBody) : Optional.empty();
    return new ForwardSignature(rootClass, parameters, returns, keys);
  }

  /** {@code forward(store_id: Tensor, ...) -> Dict[str, Tensor]}, as a user would write it. */
  public String describe() {
    return parameters.stream().map(Parameter::toString).collect(Collectors.joining(", ", "forward(", ")"))
        + " -> " + returns;
  }

  private static List<Parameter> parameters(String list) {
    List<Parameter> parameters = new ArrayList<>();
    List<String> declared = TopLevel.split(list, ',');
    for (int i = 1; i < declared.size(); i++) { // the first is self
      String text = declared.get(i).strip();
      if (text.isEmpty()) {
        continue;
      }
      int colon = text.indexOf(':');
      String name = (colon < 0 ? text : text.substring(0, colon)).strip();
      String typeAndDefault = colon < 0 ? "Tensor" : text.substring(colon + 1);
      List<String> parts = TopLevel.split(typeAndDefault, '=');
      Optional<String> defaultValue = parts.size() > 1
          ? Optional.of(typeAndDefault.substring(parts.get(0).length() + 1).strip()) : Optional.empty();
      parameters.add(new Parameter(name, TorchType.parse(parts.get(0)), defaultValue));
    }
    return parameters;
  }

  /** The lines after the def line that are indented deeper than it. */
  private static String methodBody(String rest, int defIndent) {
    StringBuilder body = new StringBuilder();
    for (String line : rest.split("\n", -1)) {
      int indent = line.length() - line.stripLeading().length();
      if (!line.isBlank() && indent <= defIndent) {
        break;
      }
      body.append(line).append('\n');
    }
    return body.toString();
  }

  /**
   * The keys of the returned dict where the code returns a dict literal, directly or through the name it assigned
   * the literal to last ({@code _4 = {"forecast": _3, "regime": _5}} then {@code return _4}).
   */
  static Optional<List<String>> returnedKeys(String body) {
    List<String> lines = body.lines().map(String::strip).toList();
    String returned = null;
    int at = -1;
    for (int i = lines.size() - 1; i >= 0 && returned == null; i--) {
      if (lines.get(i).startsWith("return ")) {
        returned = lines.get(i).substring("return ".length()).strip();
        at = i;
      }
    }
    if (returned == null) {
      return Optional.empty();
    }
    if (IDENTIFIER.matcher(returned).matches()) {
      String assignment = returned + " = ";
      String literal = null;
      for (int i = at - 1; i >= 0 && literal == null; i--) {
        if (lines.get(i).startsWith(assignment)) {
          literal = lines.get(i).substring(assignment.length()).strip();
        }
      }
      returned = literal;
    }
    return returned == null ? Optional.empty() : dictLiteralKeys(returned);
  }

  private static Optional<List<String>> dictLiteralKeys(String expression) {
    if (!expression.startsWith("{") || TopLevel.closing(expression, 0) != expression.length() - 1) {
      return Optional.empty();
    }
    List<String> keys = new ArrayList<>();
    String entries = expression.substring(1, expression.length() - 1);
    if (entries.isBlank()) {
      return Optional.empty();
    }
    for (String entry : TopLevel.split(entries, ',')) {
      List<String> keyAndValue = TopLevel.split(entry, ':');
      String key = keyAndValue.get(0).strip();
      if (keyAndValue.size() < 2 || key.length() < 2 || !(key.startsWith("\"") || key.startsWith("'"))) {
        return Optional.empty(); // a key computed at run time: only a run can tell
      }
      keys.add(TopLevel.unquote(key));
    }
    return Optional.of(keys);
  }
}
