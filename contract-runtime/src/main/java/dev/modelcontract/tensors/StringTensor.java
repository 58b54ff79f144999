package dev.modelcontract.tensors;

import java.util.Arrays;

/** A tensor of labels (strings), as outputs with labels answer them, held as {@code String[]}. */
public final class StringTensor implements Tensor {

  private final long[] shape;
  private final String[] values;

  public StringTensor(long[] shape, String[] values) {
    Tensor.checkSize(shape, values.length);
    this.shape = shape;
    this.values = values;
  }

  @Override
  public long[] shape() {
    return shape;
  }

  @Override
  public String[] array() {
    return values;
  }

  public String[] values() {
    return values;
  }

  @Override
  public StringTensor reshaped(long[] newShape) {
    return new StringTensor(newShape, values);
  }

  @Override
  public String toString() {
    return "StringTensor" + Arrays.toString(shape);
  }
}
