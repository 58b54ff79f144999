package dev.modelcontract.tensors;

import java.util.Arrays;

/** A tensor of float64 values, held as {@code double[]}. */
public final class DoubleTensor implements Tensor {

  private final long[] shape;
  private final double[] values;

  public DoubleTensor(long[] shape, double[] values) {
    Tensor.checkSize(shape, values.length);
    this.shape = shape;
    this.values = values;
  }

  @Override
  public long[] shape() {
    return shape;
  }

  @Override
  public double[] array() {
    return values;
  }

  public double[] values() {
    return values;
  }

  @Override
  public DoubleTensor reshaped(long[] newShape) {
    return new DoubleTensor(newShape, values);
  }

  @Override
  public String toString() {
    return "DoubleTensor" + Arrays.toString(shape);
  }
}
