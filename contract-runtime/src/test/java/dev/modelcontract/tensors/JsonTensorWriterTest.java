package dev.modelcontract.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.DType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTensorWriterTest {

  private static String write(Map<String, ? extends Tensor> tensors) {
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
  void writesEveryTensorTypeInItsJsonForm() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("f", new FloatTensor(new long[] {2}, new float[] {0.1f, -2f}));
    tensors.put("d", new DoubleTensor(new long[] {2}, new double[] {0.1, 1e300}));
    tensors.put("l", new LongTensor(new long[] {1, 2}, new long[] {9007199254740993L, Long.MIN_VALUE}));
    tensors.put("b", new BooleanTensor(new long[] {2}, new boolean[] {true, false}));
    tensors.put("s", new StringTensor(new long[] {2}, new String[] {"bear", "say \"hi\""}));
    tensors.put("label", new StringTensor(new long[0], new String[] {"bull"}));

    assertThat(write(tensors)).isEqualTo("{\"f\":[0.1,-2.0],\"d\":[0.1,1.0E300],"
        + "\"l\":[[9007199254740993,-9223372036854775808]],\"b\":[true,false],\"s\":[\"bear\",\"say \\\"hi\\\"\"],"
        + "\"label\":\"bull\"}");
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
    Map<String, ElementType> float32 = new HashMap<>();
    original.keySet().forEach(name -> float32.put(name, new ElementType(DType.FLOAT32, false)));
    Map<String, Tensor> decoded =
        new JsonTensorReader(float32).read(new ByteArrayInputStream(out.toByteArray()));

    assertThat(decoded.keySet()).containsExactlyElementsOf(original.keySet());
    original.forEach((name, tensor) -> {
      assertThat(decoded.get(name).shape()).as(name).containsExactly(tensor.shape());
      assertThat(((FloatTensor) decoded.get(name)).values()).as(name).containsExactly(tensor.values());
    });
  }

  @Test
  void roundTripsLabelsBooleansAndInt64ThroughTheReader() throws Exception {
    Map<String, Tensor> original = new LinkedHashMap<>();
    original.put("topic", new StringTensor(new long[] {3}, new String[] {"sports", "", "arts"}));
    original.put("mask", new BooleanTensor(new long[] {1, 2}, new boolean[] {false, true}));
    original.put("ids", new LongTensor(new long[] {2}, new long[] {Long.MAX_VALUE, -9007199254740993L}));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new JsonTensorWriter().write(original, out);
    Map<String, Tensor> decoded = new JsonTensorReader(Map.of("ids", new ElementType(DType.INT64, false)))
        .read(new ByteArrayInputStream(out.toByteArray()));

    assertThat(((StringTensor) decoded.get("topic")).values()).containsExactly("sports", "", "arts");
    assertThat(decoded.get("mask").shape()).containsExactly(1, 2);
    assertThat(((BooleanTensor) decoded.get("mask")).values()).containsExactly(false, true);
    assertThat(((LongTensor) decoded.get("ids")).values()).containsExactly(Long.MAX_VALUE, -9007199254740993L);
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

    FloatTensor batched = (FloatTensor) tensor.withFirstAxis();
    assertThat(batched.shape()).containsExactly(1, 3, 2);
    assertThat(batched.values()).isSameAs(tensor.values());
    assertThat(batched.withoutFirstAxis().shape()).containsExactly(3, 2);
    assertThatThrownBy(tensor::withoutFirstAxis).isInstanceOf(IllegalStateException.class);
  }
}
