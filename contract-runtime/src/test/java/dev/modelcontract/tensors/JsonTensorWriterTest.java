package dev.modelcontract.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTensorWriterTest {

  private static String write(Map<String, FloatTensor> tensors) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JsonTensorWriter().write(tensors, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void writesNestedArraysInMapOrder() {
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    tensors.put("b", new FloatTensor(new long[] {2, 2}, new float[] {1f, 2.5f, -3f, 0.125f}));
    tensors.put("a", new FloatTensor(new long[] {1}, new float[] {7f}));

    assertThat(write(tensors)).isEqualTo("{\"b\":[[1.0,2.5],[-3.0,0.125]],\"a\":[7.0]}");
  }

  @Test
  void writesScalarAsBareNumber() {
    assertThat(write(Map.of("s", new FloatTensor(new long[0], new float[] {4.5f})))).isEqualTo("{\"s\":4.5}");
  }

  @Test
  void writesEmptyMapAsEmptyObject() {
    assertThat(write(Map.of())).isEqualTo("{}");
  }

  @Test
  void roundTripsShapesAndValuesThroughTheReader() throws Exception {
    Map<String, FloatTensor> original = new LinkedHashMap<>();
    original.put("matrix", new FloatTensor(new long[] {2, 3}, new float[] {1f, -2f, 3.25f, 0.1f, 1e-7f, 3.4e38f}));
    original.put("cube", new FloatTensor(new long[] {2, 1, 2}, new float[] {0.5f, 1.5f, 2.5f, 3.5f}));
    original.put("vector", new FloatTensor(new long[] {3}, new float[] {99.58603f, -0.07239881f, 0f}));
    original.put("scalar", new FloatTensor(new long[0], new float[] {-1.75f}));
    original.put("odd/name", new FloatTensor(new long[] {1, 1}, new float[] {Float.MIN_VALUE}));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JsonTensorWriter().write(original, out);
    Map<String, FloatTensor> decoded = new JsonTensorReader().read(new ByteArrayInputStream(out.toByteArray()));

    assertThat(decoded.keySet()).containsExactlyElementsOf(original.keySet());
    original.forEach((name, tensor) -> {
      assertThat(decoded.get(name).shape()).as(name).containsExactly(tensor.shape());
      assertThat(decoded.get(name).values()).as(name).containsExactly(tensor.values());
    });
  }

  @Test
  void floatTensorRejectsValuesThatDoNotFillItsShape() {
    assertThatThrownBy(() -> new FloatTensor(new long[] {2, 3}, new float[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape [2, 3] holds 6 values, not 5");
  }

  @Test
  void floatTensorAddsAndDropsALeadingAxisOfOne() {
    FloatTensor tensor = new FloatTensor(new long[] {3, 2}, new float[6]);

    FloatTensor batched = tensor.withFirstAxis();
    assertThat(batched.shape()).containsExactly(1, 3, 2);
    assertThat(batched.values()).isSameAs(tensor.values());
    assertThat(batched.withoutFirstAxis().shape()).containsExactly(3, 2);
    assertThatThrownBy(tensor::withoutFirstAxis).isInstanceOf(IllegalStateException.class);
  }
}
