package dev.modelcontract.tensors;

/** A tensor of integer values of any width (int64, int32, int8, uint8), range-checked when decoded, held as {@code long[]}. */
public final class LongTensor extends DenseTensor {

  private final long[] values;

  public LongTensor(long[] shape, long[] values) {
    super(shape, values.length);
    this.values = values;
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
}
