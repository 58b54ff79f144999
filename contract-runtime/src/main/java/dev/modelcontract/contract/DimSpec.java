package dev.modelcontract.contract;

/**
 * A named dynamic dim with inclusive bounds. Every axis that uses the name takes the same value in one request.
 *
 * @param name the name used in shapes, e.g. {@code T}
 * @param min the smallest accepted size
 * @param max the largest accepted size
 */
public record DimSpec(String name, long min, long max) {

  public static DimSpec unbounded(String name) {
    return new DimSpec(name, 1, Long.MAX_VALUE);
  }

  public boolean accepts(long size) {
    return size >= min && size <= max;
  }

  public String describeBounds() {
    if (max == Long.MAX_VALUE) {
      return name + " >= " + min;
    }
    return min + " <= " + name + " <= " + max;
  }
}
