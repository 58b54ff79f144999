package dev.modelcontract.tensors;

/** A tensor of labels (strings), as outputs with labels answer them, held as {@code String[]}. */
public final class StringTensor extends DenseTensor {

  private final String[] values;

  public StringTensor(long[] shape, String[] values) {
    super(shape, values.length);
    this.values = values;
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
}
