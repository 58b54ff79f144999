package dev.modelcontract.tensors;

import java.util.Arrays;

/** A tensor of integer values of any width (int64, int32, int8, uint8), range-checked when decoded, held as {@code long[]}. */
public final class LongTensor implements Tensor {

  private final long[] shape;
  private final long[] values;

  public LongTensor(long[] shape, long[] values) {
    Tensor.checkSize(shape, values.length);
    this.shape = shape;
    this.values = values;
  }

  @Override
  public long[] shape() {
    return shape;
  }

  @Override
  public long[] array() {
    return values;
  }

  public long[] values() {
    return values;
  }

  @Override
  public LongTensor reshaped(long[] newShape) {
    return new LongTensor(newShape, values);
  }

  @Override
  public String toString() {
    return "LongTensor" + Arrays.toString(shape);
  }
}
