package dev.modelcontract.tensors;

import java.util.Arrays;

/** A tensor of bool values, held as {@code boolean[]}. */
public final class BooleanTensor implements Tensor {

  private final long[] shape;
  private final boolean[] values;

  public BooleanTensor(long[] shape, boolean[] values) {
    Tensor.checkSize(shape, values.length);
    this.shape = shape;
    this.values = values;
  }

  @Override
  public long[] shape() {
    return shape;
  }

  @Override
  public boolean[] array() {
    return values;
  }

  public boolean[] values() {
    return values;
  }

  @Override
  public BooleanTensor reshaped(long[] newShape) {
    return new BooleanTensor(newShape, values);
  }

  @Override
  public String toString() {
    return "BooleanTensor" + Arrays.toString(shape);
  }
}
