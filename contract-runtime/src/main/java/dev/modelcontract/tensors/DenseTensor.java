package dev.modelcontract.tensors;

import java.util.Arrays;

/** What every tensor type shares: a shape that its array fills exactly. */
abstract sealed class DenseTensor implements Tensor
    permits FloatTensor, DoubleTensor, LongTensor, BooleanTensor, StringTensor {

  private final long[] shape;

  DenseTensor(long[] shape, int length) {
    Tensor.checkSize(shape, length);
    this.shape = shape;
  }

  @Override
  public final long[] shape() {
    return shape;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + Arrays.toString(shape);
  }
}
