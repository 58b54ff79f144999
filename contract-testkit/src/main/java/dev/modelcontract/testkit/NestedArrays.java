package dev.modelcontract.testkit;

import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.tensors.Tensor;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Java arrays nested as a tensor's shape ({@code float[][]}, {@code long[][][]}, ...) as tensors, and single values
 * ({@code 17L}, {@code 0.5f}, {@code true}) as tensors of rank 0.
 */
final class NestedArrays {

  private static final Map<Class<?>, Class<?>> PRIMITIVES = Map.of(Long.class, long.class, Integer.class, int.class,
      Short.class, short.class, Byte.class, byte.class, Float.class, float.class, Double.class, double.class,
      Boolean.class, boolean.class);

  private NestedArrays() {}

  /**
   * The tensor a nested array or a single value holds, in the storage of the input's dtype.
   *
   * @throws IllegalArgumentException when the element type does not hold the input's dtype, or the array's rows
   *     differ in length
   */
  static Tensor toTensor(InputSpec input, Object nested) {
    if (nested != null && PRIMITIVES.containsKey(nested.getClass())) {
      Object flat = Array.newInstance(storage(input, PRIMITIVES.get(nested.getClass()), "value"), 1);
      set(flat, 0, nested);
      return Tensor.of(new long[0], flat);
    }
    if (nested == null || !nested.getClass().isArray()) {
      throw new IllegalArgumentException("input '" + input.name() + "' takes a Java array nested as its shape "
          + input.shape() + " (or a single value, where it has rank 0 unbatched), not "
          + (nested == null ? "null" : nested.getClass().getSimpleName()));
    }
    List<Long> shape = new ArrayList<>();
    Class<?> type = nested.getClass();
    for (Object level = nested; level.getClass().isArray(); ) {
      shape.add((long) Array.getLength(level));
      type = level.getClass().getComponentType();
      if (!type.isArray() || Array.getLength(level) == 0) {
        break;
      }
      level = Array.get(level, 0);
    }
    while (type.isArray()) {
      type = type.getComponentType();
    }
    long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
    int size = Math.toIntExact(Tensor.sizeOf(dims));
    Object flat = Array.newInstance(storage(input, type, "array"), size);
    int written = flatten(nested, 0, dims, flat, 0, input);
    if (written != size) {
      throw new IllegalArgumentException("input '" + input.name() + "': the rows of the array differ in length");
    }
    return Tensor.of(dims, flat);
  }

  private static Class<?> storage(InputSpec input, Class<?> element, String holder) {
    DType dtype = input.dtype();
    boolean fits = switch (dtype.kind()) {
      case FLOAT -> element == float.class || element == double.class;
      case INTEGER -> element == long.class || element == int.class || element == short.class || element == byte.class;
      case BOOL -> element == boolean.class;
    };
    if (!fits) {
      throw new IllegalArgumentException("input '" + input.name() + "' is " + dtype + ", and a " + element.getName()
          + " " + holder + " cannot hold it");
    }
    return dtype.storage();
  }

  private static int flatten(Object level, int depth, long[] dims, Object flat, int at, InputSpec input) {
    int length = Array.getLength(level);
    if (length != dims[depth]) {
      throw new IllegalArgumentException("input '" + input.name() + "': the rows of the array differ in length");
    }
    if (depth == dims.length - 1) {
      for (int i = 0; i < length; i++) {
        set(flat, at + i, Array.get(level, i));
      }
      return at + length;
    }
    for (int i = 0; i < length; i++) {
      at = flatten(Array.get(level, i), depth + 1, dims, flat, at, input);
    }
    return at;
  }

  /** Stores a boxed value in the storage array, widened to its element type. */
  private static void set(Object flat, int index, Object value) {
    Array.set(flat, index, flat instanceof float[] ? (Object) ((Number) value).floatValue()
        : flat instanceof double[] ? (Object) ((Number) value).doubleValue()
        : flat instanceof long[] ? (Object) ((Number) value).longValue() : value);
  }
}
