package dev.modelcontract.tensors;

/** A tensor of bool values, held as {@code boolean[]}. */
public final class BooleanTensor extends DenseTensor {

  private final boolean[] values;

  public BooleanTensor(long[] shape, boolean[] values) {
    super(shape, values.length);
    this.values = values;
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
}
