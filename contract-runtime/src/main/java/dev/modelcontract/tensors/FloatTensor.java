package dev.modelcontract.tensors;

import java.util.Arrays;

/** A tensor of float32, float16 or bfloat16 values, held as {@code float[]}. */
public final class FloatTensor implements Tensor {

  private final long[] shape;
  private final float[] values;

  public FloatTensor(long[] shape, float[] values) {
    Tensor.checkSize(shape, values.length);
    this.shape = shape;
    this.values = values;
  }


  @Override
  public long[] shape() {
    return shape;
  }

  @Override
  public float[] array() {
    return values;
  }

  public float[] values() {
    return values;
  }

  @Override
  public FloatTensor reshaped(long[] newShape) {
    return new FloatTensor(newShape, values);
  }

  @Override
  public FloatTensor withFirstAxis() {
    return (FloatTensor) Tensor.super.withFirstAxis();
  }

  @Override
  public FloatTensor withoutFirstAxis() {
    return (FloatTensor) Tensor.super.withoutFirstAxis();
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
