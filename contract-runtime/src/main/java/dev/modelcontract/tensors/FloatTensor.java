package dev.modelcontract.tensors;

/** A tensor of float32, float16 or bfloat16 values, held as {@code float[]}. */
public final class FloatTensor extends DenseTensor {

  private final float[] values;

  public FloatTensor(long[] shape, float[] values) {
    super(shape, values.length);
    this.values = values;
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
}
