package dev.modelcontract.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.DType;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * .npy files as numpy wrote them (src/test/resources/numpy/generate.py): every dtype a contract can declare read to
 * the value, in C and Fortran order, either byte order, format versions 1 and 2; every other dtype numpy has named
 * and refused.
 */
class NpyTest {

  private static final Path FILES = Path.of("src/test/resources/numpy");

  @Test
  void everyDeclarableDTypeIsReadAsNumpyWroteIt() throws Exception {
    JsonNode expected = new ObjectMapper().readTree(FILES.resolve("expected.json").toFile());
    int read = 0;
    for (Map.Entry<String, JsonNode> file : expected.properties()) {
      JsonNode values = file.getValue().get("values");
      if (values == null) {
        continue;
      }
      DType dtype = DType.fromContractName(file.getValue().get("dtype").asString()).orElseThrow();
      byte[] bytes = Files.readAllBytes(FILES.resolve(file.getKey()));

      Tensor tensor = Npy.read(bytes, 0, bytes.length, "x", "/x", new ElementType(dtype, true));

      long[] shape = new long[file.getValue().get("shape").size()];
      for (int axis = 0; axis < shape.length; axis++) {
        shape[axis] = file.getValue().get("shape").get(axis).asLong();
      }
      assertThat(tensor.shape()).as(file.getKey()).isEqualTo(shape);
      assertThat(tensor.size()).as(file.getKey()).isEqualTo(values.size());
      for (int i = 0; i < values.size(); i++) {
        Object actual = Array.get(tensor.array(), i);
        if (actual instanceof Boolean bool) {
          assertThat(bool).as("%s[%d]", file.getKey(), i).isEqualTo(values.get(i).asBoolean());
        } else {
          double value = ((Number) actual).doubleValue();
          assertThat(value).as("%s[%d]", file.getKey(), i).isEqualTo(values.get(i).asDouble());
        }
      }
      read++;
    }
    assertThat(read).isEqualTo(13);
  }

  @Test
  void everyOtherDTypeIsNamedAndRefusedNeverCast() throws Exception {
    JsonNode expected = new ObjectMapper().readTree(FILES.resolve("expected.json").toFile());
    int refused = 0;
    for (Map.Entry<String, JsonNode> file : expected.properties()) {
      if (file.getValue().has("values")) {
        continue;
      }
      byte[] bytes = Files.readAllBytes(FILES.resolve(file.getKey()));

      ContractViolation e = catchThrowableOfType(ContractViolation.class,
          () -> Npy.read(bytes, 0, bytes.length, "x", "/x", new ElementType(DType.FLOAT32, false)));

      assertThat(e).as(file.getKey()).isNotNull();
      assertThat(e.actual()).as(file.getKey()).contains(file.getValue().get("dtype").asString());
      assertThat(e.expected()).contains("float32");
      refused++;
    }
    assertThat(refused).isEqualTo(13);
  }

  @Test
  void nonFiniteValuesAreRefusedWhereTheInputDoesNotAllowThemPointingAtTheValue() throws Exception {
    byte[] bytes = Npy.toBytes(new FloatTensor(new long[] {2, 2}, new float[] {1, 2, 3, Float.NaN}));

    ContractViolation e = catchThrowableOfType(ContractViolation.class,
        () -> Npy.read(bytes, 0, bytes.length, "x", "/x", new ElementType(DType.FLOAT32, false)));

    assertThat(e.pointer()).isEqualTo("/x/1/1");
    assertThat(Npy.read(bytes, 0, bytes.length, "x", "/x", new ElementType(DType.FLOAT32, true)).size()).isEqualTo(4);
  }

  @Test
  void writtenArraysReadBackWithTheirDTypesAndShapes() throws Exception {
    Tensor[] tensors = {
        new FloatTensor(new long[] {2, 1}, new float[] {0.5f, -1.5f}),
        new DoubleTensor(new long[] {3}, new double[] {0.1, 0.2, 0.3}),
        new LongTensor(new long[] {}, new long[] {42}),
        new BooleanTensor(new long[] {2}, new boolean[] {true, false})};
    DType[] dtypes = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL};
    for (int i = 0; i < tensors.length; i++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Npy.write(tensors[i], out);
      byte[] bytes = out.toByteArray();

      Tensor read = Npy.read(bytes, 0, bytes.length, "x", "/x", new ElementType(dtypes[i], false));

      assertThat(read.shape()).isEqualTo(tensors[i].shape());
      assertThat(read.array()).isEqualTo(tensors[i].array());
      int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
      assertThat((10 + headerLength) % 64).as("values start 64-byte aligned, as numpy pads them").isZero();
    }
  }
}
