package dev.modelcontract.tensors;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order on the Java heap.
 *
 * <p>Holds its arrays without copying: the hot path hands arrays from decoder to transforms to the model. Code
 * that keeps a tensor must not change the arrays afterwards.
 */
public final class FloatTensor {

  private final long[] shape;
  private final float[] values;

  public FloatTensor(long[] shape, float[] values) {
    long size = sizeOf(shape);
    if (size != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + size + " values, not " + values.length);
    }
    this.shape = shape;
    this.values = values;
  }

  public static long sizeOf(long[] shape) {
    long size = 1;
    for (long dim : shape) {
      size = Math.multiplyExact(size, dim);
    }
    return size;
  }

  public long[] shape() {
    return shape;
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int axis) {
    return shape[axis];
  }

  public float[] values() {
    return values;
  }

  /** The same values seen with the first axis removed (size 1) or added (size 1). */
  public FloatTensor reshaped(long[] newShape) {
    return new FloatTensor(newShape, values);
  }

  public FloatTensor withoutFirstAxis() {
    if (shape.length == 0 || shape[0] != 1) {
      throw new IllegalStateException("only a first axis of size 1 can be dropped: " + Arrays.toString(shape));
    }
    return reshaped(Arrays.copyOfRange(shape, 1, shape.length));
  }

  public FloatTensor withFirstAxis() {
    long[] batched = new long[shape.length + 1];
    batched[0] = 1;
    System.arraycopy(shape, 0, batched, 1, shape.length);
    return reshaped(batched);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
