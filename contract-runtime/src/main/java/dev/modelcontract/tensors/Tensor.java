package dev.modelcontract.tensors;

import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * A dense tensor in row-major order on the Java heap, stored in the Java array that holds its element type
 * exactly: float32, float16 and bfloat16 in {@code float[]}, float64 in {@code double[]}, every integer type in
 * {@code long[]}, bool in {@code boolean[]}, labels in {@code String[]}. The contract's dtype says which of the
 * types sharing a storage is meant.
 *
 * <p>Tensors hold their arrays without copying: the hot path hands arrays from decoder to transforms to the model.
 * Code that keeps a tensor must not change its array afterwards.
 */
public sealed interface Tensor permits DenseTensor {

  /** The most axes a tensor read from a request may have: deeper nesting is refused before it can exhaust the stack. */
  int MAX_RANK = 16;

  long[] shape();

  /** The backing array: {@code float[]}, {@code double[]}, {@code long[]}, {@code boolean[]} or {@code String[]}. */
  Object array();

  /** The same values with another shape of the same size. */
  Tensor reshaped(long[] shape);

  /** A tensor of the same storage type with the given shape and array. */
  static Tensor of(long[] shape, Object array) {
    if (array instanceof float[] values) {
      return new FloatTensor(shape, values);
    }
    if (array instanceof double[] values) {
      return new DoubleTensor(shape, values);
    }
    if (array instanceof long[] values) {
      return new LongTensor(shape, values);
    }
    if (array instanceof boolean[] values) {
      return new BooleanTensor(shape, values);
    }
    if (array instanceof String[] values) {
      return new StringTensor(shape, values);
    }
    throw new IllegalArgumentException("no tensor is stored in " + array.getClass().getSimpleName());
  }

  default int rank() {
    return shape().length;
  }

  default long dim(int axis) {
    return shape()[axis];
  }

  /** The number of elements. */
  default int size() {
    return Array.getLength(array());
  }

  /** The same values with a first axis of size 1 added. */
  default Tensor withFirstAxis() {
    long[] shape = shape();
    long[] batched = new long[shape.length + 1];
    batched[0] = 1;
    System.arraycopy(shape, 0, batched, 1, shape.length);
    return reshaped(batched);
  }

  /** The same values with their first axis, of size 1, removed. */
  default Tensor withoutFirstAxis() {
    long[] shape = shape();
    if (shape.length == 0 || shape[0] != 1) {
      throw new IllegalStateException("only a first axis of size 1 can be dropped: " + Arrays.toString(shape));
    }
    return reshaped(Arrays.copyOfRange(shape, 1, shape.length));
  }

  /** A copy of rows {@code from} (inclusive) to {@code to} (exclusive) along the first axis. */
  default Tensor rows(int from, int to) {
    long[] shape = shape().clone();
    int perRow = shape[0] == 0 ? 0 : (int) (size() / shape[0]);
    shape[0] = to - from;
    Object array = Array.newInstance(array().getClass().getComponentType(), (to - from) * perRow);
    System.arraycopy(array(), from * perRow, array, 0, (to - from) * perRow);
    return of(shape, array);
  }

  /** The JSON Pointer suffix of the value at a flat (row-major) index of a shape, e.g. {@code /0/3/2}. */
  static String pointerOf(long[] shape, int flat) {
    long[] index = new long[shape.length];
    long rest = flat;
    for (int axis = shape.length - 1; axis >= 0; axis--) {
      index[axis] = rest % shape[axis];
      rest /= shape[axis];
    }
    StringBuilder pointer = new StringBuilder();
    for (long i : index) {
      pointer.append('/').append(i);
    }
    return pointer.toString();
  }

  /** The number of elements a shape holds; fails on overflow. */
  static long sizeOf(long[] shape) {
    long size = 1;
    for (long dim : shape) {
      size = Math.multiplyExact(size, dim);
    }
    return size;
  }

  /** The number of elements a shape holds, or Long.MAX_VALUE where that overflows (a shape a client made up). */
  static long saturatedSizeOf(long[] shape) {
    try {
      return sizeOf(shape);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Checks that an array of {@code length} elements fills the shape. */
  static void checkSize(long[] shape, int length) {
    long size = sizeOf(shape);
    if (size != length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + size + " values, not " + length);
    }
  }
}
