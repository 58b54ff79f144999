package dev.modelcontract.tensors;

/** A tensor of float64 values, held as {@code double[]}. */
public final class DoubleTensor extends DenseTensor {

  private final double[] values;

  public DoubleTensor(long[] shape, double[] values) {
    super(shape, values.length);
    this.values = values;
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
}
