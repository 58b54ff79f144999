package dev.modelcontract.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void ofPicksTheTensorTypeThatStoresTheArray() {
    long[] shape = {2};

    assertThat(Tensor.of(shape, new float[2])).isInstanceOf(FloatTensor.class);
    assertThat(Tensor.of(shape, new double[2])).isInstanceOf(DoubleTensor.class);
    assertThat(Tensor.of(shape, new long[2])).isInstanceOf(LongTensor.class);
    assertThat(Tensor.of(shape, new boolean[2])).isInstanceOf(BooleanTensor.class);
    assertThat(Tensor.of(shape, new String[] {"a", "b"})).isInstanceOf(StringTensor.class);
  }

  @Test
  void ofHoldsTheArrayWithoutCopying() {
    long[] values = {1, 2, 3};

    Tensor tensor = Tensor.of(new long[] {3}, values);

    assertThat(tensor.array()).isSameAs(values);
    assertThat(tensor.size()).isEqualTo(3);
  }

  @Test
  void ofRefusesAnArrayNoTensorIsStoredIn() {
    assertThatThrownBy(() -> Tensor.of(new long[] {2}, new int[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no tensor is stored in int[]");
  }

  @Test
  void sizeOfMultipliesTheAxesAndFailsOnOverflow() {
    assertThat(Tensor.sizeOf(new long[] {2, 3, 4})).isEqualTo(24);
    assertThat(Tensor.sizeOf(new long[0])).isEqualTo(1);
    assertThatThrownBy(() -> Tensor.sizeOf(new long[] {Long.MAX_VALUE, 2})).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void everyTensorTypeRefusesValuesThatDoNotFillItsShape() {
    assertThatThrownBy(() -> new LongTensor(new long[] {2, 2}, new long[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape [2, 2] holds 4 values, not 3");
    assertThatThrownBy(() -> new StringTensor(new long[] {1}, new String[2]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyTensorTypeAddsAndDropsALeadingAxisOfOneKeepingItsType() {
    Tensor[] tensors = {
        new DoubleTensor(new long[] {2}, new double[2]),
        new LongTensor(new long[] {2}, new long[2]),
        new BooleanTensor(new long[] {2}, new boolean[2]),
        new StringTensor(new long[] {2}, new String[] {"a", "b"})};
    for (Tensor tensor : tensors) {
      Tensor batched = tensor.withFirstAxis();

      assertThat(batched).isInstanceOf(tensor.getClass());
      assertThat(batched.shape()).containsExactly(1, 2);
      assertThat(batched.array()).isSameAs(tensor.array());
      assertThat(batched.withoutFirstAxis().shape()).containsExactly(2);
    }
  }
}
