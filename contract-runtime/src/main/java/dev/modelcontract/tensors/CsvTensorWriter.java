package dev.modelcontract.tensors;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * {@code text/csv} answers, as {@link CsvTensorReader} reads requests: one line per batch item, no header. A line
 * holds the item's values of every output in turn, each flattened in row-major order; numbers as Java writes them
 * ({@code 428.5}, {@code 1.0E-5}), the non-finite as {@code nan}, {@code inf} and {@code -inf} (what numpy and the
 * reader take), booleans as {@code true}/{@code false}, text quoted where it holds a comma, a quote or a line break.
 */
public final class CsvTensorWriter {

  /**
   * Writes one line per batch item; every tensor's first axis is the batch axis, of the same size.
   *
   * @throws IllegalArgumentException where a tensor has no first axis or the first axes differ
   */
  public void writeRows(Collection<? extends Tensor> tensors, ByteArrayOutputStream out) {
    long rows = -1;
    for (Tensor tensor : tensors) {
      if (tensor.rank() == 0 || rows >= 0 && tensor.dim(0) != rows) {
        throw new IllegalArgumentException("CSV rows need a batch axis first in every output, of one size");
      }
      rows = tensor.dim(0);
    }
    StringBuilder line = new StringBuilder();
    for (int row = 0; row < rows; row++) {
      line.setLength(0);
      for (Tensor tensor : tensors) {
        int perRow = (int) (tensor.size() / rows);
        for (int i = row * perRow; i < (row + 1) * perRow; i++) {
          if (!line.isEmpty()) {
            line.append(',');
          }
          append(line, tensor.array(), i);
        }
      }
      line.append('\n');
      out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void append(StringBuilder line, Object array, int i) {
    if (array instanceof float[] values) {
      number(line, values[i], Float.toString(values[i]));
    } else if (array instanceof double[] values) {
      number(line, values[i], Double.toString(values[i]));
    } else if (array instanceof long[] values) {
      line.append(values[i]);
    } else if (array instanceof boolean[] values) {
      line.append(values[i]);
    } else {
      text(line, ((String[]) array)[i]);
    }
  }

  private static void number(StringBuilder line, double value, String text) {
    line.append(Double.isNaN(value) ? "nan" : value == Double.POSITIVE_INFINITY ? "inf"
        : value == Double.NEGATIVE_INFINITY ? "-inf" : text);
  }

  private static void text(StringBuilder line, String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      line.append(value);
    } else {
      line.append('"').append(value.replace("\"", "\"\"")).append('"');
    }
  }
}
