package dev.modelcontract.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.enforcement.ContractModel;
import dev.modelcontract.tensors.BooleanTensor;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.validation.ContractDryRun;
import dev.modelcontract.validation.ContractDryRun.Result;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every contract dtype DJL's PyTorch engine can carry goes into a real TorchScript model and comes back with its
 * values intact; bfloat16, which DJL cannot carry, is refused by the contract before DJL sees it.
 */
class EveryDTypeThroughTheModelTest {

  private static final Path MODEL_DIR = Path.of("src/test/resources/models/dtypes");
  private static ContractModel model;

  @BeforeAll
  static void load() throws ContractException {
    model = ContractModel.load(MODEL_DIR);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void theModelMeetsItsContractAtEverySize() {
    Result result = ContractDryRun.run(model);

    assertThat(result.problems()).isEmpty();
    assertThat(result.cases()).hasSize(3);
  }

  @Test
  void valuesOfEveryDTypeRoundTripThroughJsonAndTheModel() throws Exception {
    String json = "{\"a\": [[1.25, -2.5, 1e300]],"
        + " \"b\": [[1.5, -0.25, 65504]],"
        + " \"c\": [[2.5, -3.0, 1e38]],"
        + " \"d\": [[7, -2147483648, 2147483646]],"
        + " \"e\": [[-5, 127, -127]],"
        + " \"f\": [[254, 0, 3]],"
        + " \"g\": [[true, false, true]]}";

    Map<String, Tensor> outputs = model.predict(
        model.requestReader().read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));

    assertThat(((DoubleTensor) outputs.get("a2")).values()).containsExactly(2.5, -5.0, 2e300);
    assertThat(((FloatTensor) outputs.get("b2")).values()).containsExactly(3.0f, -0.5f, Float.POSITIVE_INFINITY);
    assertThat(((FloatTensor) outputs.get("c2")).values()).containsExactly(5.0f, -6.0f, 2e38f);
    assertThat(((LongTensor) outputs.get("d1")).values()).containsExactly(8L, -2147483647L, 2147483647L);
    assertThat(((LongTensor) outputs.get("e1")).values()).containsExactly(-6L, 126L, -128L);
    assertThat(((LongTensor) outputs.get("f1")).values()).containsExactly(255L, 1L, 4L);
    assertThat(((BooleanTensor) outputs.get("not_g")).values()).containsExactly(false, true, false);
  }

  @Test
  void responsesWriteEachDTypeInItsJsonForm() throws Exception {
    String json = "{\"a\": [[1, 2, 3]], \"b\": [[1, 2, 3]], \"c\": [[1, 2, 3]], \"d\": [[1, 2, 3]],"
        + " \"e\": [[1, 2, 3]], \"f\": [[1, 2, 3]], \"g\": [[true, true, false]]}";
    Map<String, Tensor> outputs = model.predict(
        model.requestReader().read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new JsonTensorWriter().write(outputs, out);

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a2\":[[2.0,4.0,6.0]],\"b2\":[[2.0,4.0,6.0]],"
        + "\"c2\":[[2.0,4.0,6.0]],\"d1\":[[2,3,4]],\"e1\":[[0,1,2]],\"f1\":[[2,3,4]],\"not_g\":[[false,false,true]]}");
  }

  @Test
  void bfloat16IsRefusedAtEachDtypeFieldBeforeDjlCanAbortTheJvm(@TempDir Path dir) throws Exception {
    // DJL 0.36's PyTorch engine aborts the JVM when asked to create a bfloat16 tensor and reads bfloat16
    // results as an unknown type, so the contract refuses bfloat16 where it is written.
    Files.copy(MODEL_DIR.resolve("model.pt"), dir.resolve("model.pt"));
    String contract = Files.readString(MODEL_DIR.resolve(ContractReader.FILE_NAME));
    Files.writeString(dir.resolve(ContractReader.FILE_NAME), contract
        .replace("{name: c, dtype: float32", "{name: c, dtype: bfloat16")
        .replace("{name: c2, index: 2, dtype: float32", "{name: c2, index: 2, dtype: bfloat16"));

    assertThatThrownBy(() -> ContractModel.load(dir))
        .isInstanceOf(ContractException.class)
        .satisfies(thrown -> assertThat(((ContractException) thrown).problems())
            .extracting(problem -> problem.pointer())
            .containsExactly("/inputs/2/dtype", "/outputs/2/dtype"))
        .hasMessageContaining("input 'c' is bfloat16, which DJL's PyTorch engine can neither create nor read")
        .hasMessageContaining("declare float32 and convert in forward");
  }
}
