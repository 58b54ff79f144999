package dev.modelcontract.tensors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * JSON Lines bodies mutated line by line: one line mutated as {@link JsonMutations} mutates a JSON body, lines
 * repeated, dropped or replaced by JSON that is no request, blank lines, other line ends, and (rarely) more lines than
 * a body may hold. Deterministic from a seeded {@link Random}.
 */
public final class JsonLinesMutations {

  private static final List<String> NOT_REQUESTS = List.of("{}", "[]", "null", "1", "\"input_1\"", "{\"inputs\": []}",
      "{\"instances\": []}", " ", "\t", "\u0000", "{", "}{");

  private JsonLinesMutations() {}

  /**
   * One to three mutations of a valid JSON Lines body.
   *
   * @param maxLines the most lines a body may hold; one body in 500 repeats its shortest line just past it, where
   *     that fits in the body limit
   * @param limit the body limit
   */
  public static byte[] mutated(byte[] jsonLines, Random random, int maxLines, long limit) {
    List<String> lines = new ArrayList<>(Arrays.asList(new String(jsonLines, StandardCharsets.ISO_8859_1)
        .split("\n")));
    String shortest = lines.stream().min(Comparator.comparingInt(String::length)).orElse("");
    if (random.nextInt(500) == 0 && (shortest.length() + 1L) * (maxLines + 1) <= limit) {
      return (shortest + "\n").repeat(maxLines + 1).getBytes(StandardCharsets.ISO_8859_1);
    }
    String lineEnd = "\n";
    boolean finalLineEnd = true;
    for (int m = 1 + random.nextInt(3); m > 0; m--) {
      int at = random.nextInt(lines.size());
      switch (random.nextInt(8)) {
        case 0, 1, 2 -> lines.set(at, new String(JsonMutations.mutated(lines.get(at)
            .getBytes(StandardCharsets.ISO_8859_1), random), StandardCharsets.ISO_8859_1));
        case 3 -> {
          for (int copies = 1 + random.nextInt(8); copies > 0; copies--) {
            lines.add(at, lines.get(at));
          }
        }
        case 4 -> {
          if (lines.size() > 1) {
            lines.remove(at);
          }
        }
        case 5 -> lines.set(at, NOT_REQUESTS.get(random.nextInt(NOT_REQUESTS.size())));
        case 6 -> lines.add(at, random.nextBoolean() ? "" : "  \r");
        default -> {
          lineEnd = random.nextBoolean() ? "\r\n" : "\r";
          finalLineEnd = random.nextBoolean();
        }
      }
    }
    String text = String.join(lineEnd, lines) + (finalLineEnd ? lineEnd : "");
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
