package dev.modelcontract.tensors;

import ch.randelshofer.fastdoubleparser.JsonDoubleParser;
import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.DType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * {@code text/csv} bodies for one input whose batch item is one row of values, as the SageMaker SDK's
 * {@code CSVSerializer}, {@code np.savetxt(..., delimiter=",")} and {@code pandas.to_csv(header=False,
 * index=False)} write them: one line per batch item, no header. Values follow the JSON rules of the input's dtype
 * (numbers in JSON's syntax; {@code nan}, {@code inf} and {@code -inf} where the input allows non-finite values;
 * integers exact; {@code true}/{@code false} or {@code 1}/{@code 0} for bool).
 */
public final class CsvTensorReader {

  private static final ObjectReader ROWS = CsvMapper.builder()
      .enable(CsvReadFeature.WRAP_AS_ARRAY)
      .enable(CsvReadFeature.TRIM_SPACES)
      .enable(CsvReadFeature.SKIP_EMPTY_LINES)
      .build()
      .readerFor(String[].class)
      .with(CsvSchema.emptySchema());

  private final String name;
  private final ElementType type;

  public CsvTensorReader(String name, ElementType type) {
    this.name = name;
    this.type = type;
  }

  /**
   * Reads the rows as one tensor of shape (rows, values per row).
   *
   * @throws ContractViolation when a value is not of the input's dtype
   * @throws TensorFormatException when the body is not CSV of rows of equal length
   */
  public Tensor read(byte[] body, int offset, int length) throws TensorFormatException, ContractViolation {
    List<String[]> rows = new ArrayList<>();
    try (MappingIterator<String[]> lines = ROWS.readValues(body, offset, length)) {
      while (lines.hasNextValue()) {
        String[] row = lines.nextValue();
        if (!rows.isEmpty() && row.length != rows.get(0).length) {
          throw new TensorFormatException("/" + rows.size(), "row " + (rows.size() + 1) + " has " + row.length
              + " values, but the first row has " + rows.get(0).length);
        }
        rows.add(row);
      }
    } catch (JacksonException e) {
      throw new TensorFormatException("", "the body is not valid CSV: " + ParserMessages.of(e));
    }
    if (rows.isEmpty()) {
      throw new TensorFormatException("", "the CSV body holds no row");
    }
    int columns = rows.get(0).length;
    long[] shape = {rows.size(), columns};
    return switch (type.dtype().kind()) {
      case FLOAT -> floats(rows, shape);
      case INTEGER -> longs(rows, shape);
      case BOOL -> booleans(rows, shape);
    };
  }

  private Tensor floats(List<String[]> rows, long[] shape) throws ContractViolation {
    DType dtype = type.dtype();
    double largest = ElementType.largestMagnitude(dtype);
    double[] values = new double[rows.size() * (int) shape[1]];
    int i = 0;
    for (int row = 0; row < rows.size(); row++) {
      for (int column = 0; column < shape[1]; column++) {
        String text = rows.get(row)[column];
        double value = nonFinite(text);
        if (Double.isNaN(value) && !isNaN(text)) {
          try {
            value = JsonDoubleParser.parseDouble(text);
          } catch (NumberFormatException e) {
            throw refused(row, column, "a " + dtype + " number", quoted(text));
          }
          if (!(Math.abs(value) <= largest)) {
            throw refused(row, column, "a " + dtype + " number", text + ", outside the " + dtype + " range");
          }
        } else if (!type.allowNonFinite()) {
          throw refused(row, column, "a finite " + dtype + " number", text + " (the input does not allow"
              + " non-finite values)");
        }
        values[i++] = value;
      }
    }
    if (dtype == DType.FLOAT64) {
      return new DoubleTensor(shape, values);
    }
    float[] floats = new float[values.length];
    for (int v = 0; v < values.length; v++) {
      floats[v] = (float) values[v];
    }
    return new FloatTensor(shape, floats);
  }

  /** The value of numpy's and Python's spellings of NaN and the infinities; NaN for anything else. */
  private static double nonFinite(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
      case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
      default -> Double.NaN;
    };
  }

  private static boolean isNaN(String text) {
    return text.equalsIgnoreCase("nan");
  }

  private Tensor longs(List<String[]> rows, long[] shape) throws ContractViolation {
    DType dtype = type.dtype();
    long[] values = new long[rows.size() * (int) shape[1]];
    int i = 0;
    for (int row = 0; row < rows.size(); row++) {
      for (int column = 0; column < shape[1]; column++) {
        String text = rows.get(row)[column];
        long value;
        try {
          // 3.0 is the integer 3; 1.5 is not an integer; 1e30 is one out of range. Exact, never rounded.
          value = new BigDecimal(text).longValueExact();
        } catch (NumberFormatException e) {
          throw refused(row, column, "an " + dtype + " integer", quoted(text));
        } catch (ArithmeticException e) {
          throw refused(row, column, "an " + dtype + " integer", text + ", not an integer or outside the range");
        }
        if (value < dtype.minLong() || value > dtype.maxLong()) {
          throw refused(row, column, "an " + dtype + " integer", text + ", outside the " + dtype + " range");
        }
        values[i++] = value;
      }
    }
    return new LongTensor(shape, values);
  }

  private Tensor booleans(List<String[]> rows, long[] shape) throws ContractViolation {
    boolean[] values = new boolean[rows.size() * (int) shape[1]];
    int i = 0;
    for (int row = 0; row < rows.size(); row++) {
      for (int column = 0; column < shape[1]; column++) {
        String text = rows.get(row)[column].toLowerCase(Locale.ROOT);
        if (!List.of("true", "false", "1", "0").contains(text)) {
          throw refused(row, column, "true or false", quoted(rows.get(row)[column]));
        }
        values[i++] = text.equals("true") || text.equals("1");
      }
    }
    return new BooleanTensor(shape, values);
  }

  private ContractViolation refused(int row, int column, String expected, String actual) {
    return ContractViolation.ofValue(name, "/" + name + "/" + row + "/" + column, expected + " (CSV line " + (row + 1)
        + ", value " + (column + 1) + ")", actual);
  }

  private static String quoted(String text) {
    return "\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
  }
}
