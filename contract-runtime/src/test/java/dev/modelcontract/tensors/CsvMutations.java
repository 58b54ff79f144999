package dev.modelcontract.tensors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * CSV bodies mutated where their structure is: ragged rows, quoted values (balanced or not, holding separators and
 * line breaks), values that are no float32 (NaN, infinities, out of range, hex, text), empty lines and other line
 * ends, a header row, a byte order mark, other separators, too many rows or columns; or anywhere, by flipped bytes
 * and truncation. Deterministic from a seeded {@link Random}.
 */
public final class CsvMutations {

  private static final List<String> VALUES = List.of("", " ", "nan", "NaN", "inf", "-inf", "Infinity", "1e999",
      "-1e999", "1e-999", "0x10", "1_000", "--1", "+1", "1e", ".", "true", "\"1\"", "1 2", "9".repeat(400),
      "3.4028236e38", "3.4028235e38", "\u0661\u0662", "\u0000", "\"\"", "\"1,2\"", "\"1\n2\"", "\"unbalanced",
      "1\"", " 1 ", "\t1", "1.0f", "0.5d", "١", "1e38", "-0", "1" + "0".repeat(60));
  private static final List<String> LINE_ENDS = List.of("\r\n", "\r", "\n\n", "\n \n", "");

  private CsvMutations() {}

  /** One to three mutations of a valid CSV body. */
  public static byte[] mutated(byte[] csv, Random random) {
    List<List<String>> rows = parse(new String(csv, StandardCharsets.UTF_8));
    String separator = ",";
    String lineEnd = "\n";
    String prefix = "";
    boolean bytesLevel = false;
    for (int m = 1 + random.nextInt(3); m > 0 && !rows.isEmpty(); m--) {
      List<String> row = rows.get(random.nextInt(rows.size()));
      if (row.isEmpty()) {
        row.add("1");
      }
      switch (random.nextInt(12)) {
        case 0 -> row.remove(random.nextInt(row.size())); // ragged: a value missing
        case 1 -> row.add(random.nextInt(row.size() + 1), pick(VALUES, random)); // ragged: one too many
        case 2, 3 -> row.set(random.nextInt(row.size()), pick(VALUES, random));
        case 4 -> row.set(random.nextInt(row.size()), "\"" + row.get(random.nextInt(row.size())) + "\"");
        case 5 -> rows.add(random.nextInt(rows.size() + 1), new ArrayList<>(List.of(
            "rooms", "area", "age", "distance", "floor", "lift")));
        case 6 -> lineEnd = pick(LINE_ENDS, random);
        case 7 -> separator = pick(List.of(";", "\t", ", ", " ", ",,"), random);
        case 8 -> prefix = random.nextBoolean() ? "\uFEFF" : "\n\n";
        case 9 -> {
          if (rows.stream().mapToInt(List::size).sum() > 10_000) {
            continue; // already far too wide to be worth repeating
          }
          List<List<String>> more = new ArrayList<>();
          int copies = random.nextBoolean() ? 300 / rows.size() + 1 : 2; // past the batch's 256 rows, or not
          for (int c = 0; c < copies; c++) {
            rows.forEach(each -> more.add(new ArrayList<>(each)));
          }
          rows = more;
        }
        case 10 -> {
          for (int c = random.nextBoolean() ? 10_000 : 2; c > 0; c--) {
            row.add(row.get(0)); // a row with far too many columns
          }
        }
        default -> bytesLevel = true;
      }
    }
    StringBuilder text = new StringBuilder(prefix);
    for (List<String> row : rows) {
      text.append(String.join(separator, row)).append(lineEnd);
    }
    byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
    if (!bytesLevel) {
      return body;
    }
    return random.nextBoolean() ? JsonMutations.flip(body, random)
        : Arrays.copyOf(body, random.nextInt(body.length + 1));
  }

  private static List<List<String>> parse(String csv) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : csv.split("\n")) {
      if (!line.isBlank()) {
        rows.add(new ArrayList<>(Arrays.asList(line.split(",", -1))));
      }
    }
    return rows;
  }

  private static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }
}
