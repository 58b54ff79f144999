package dev.modelcontract.draft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelcontract.draft.ForwardSignature.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwardSignatureTest {

  @TempDir
  Path dir;

  @Test
  void theForecastersArgumentsInOrderAndItsDictWhoseKeysTheCodeFillsOneByOne() throws Exception {
    ForwardSignature signature = ForwardSignature.read(Fixtures.FORECASTER);

    assertThat(signature.rootClass()).isEqualTo("__torch__.StoreForecaster");
    assertThat(signature.parameters()).extracting(Parameter::name).containsExactly("store_id", "history", "calendar");
    assertThat(signature.parameters()).allMatch(parameter -> parameter.type().isTensor());
    assertThat(signature.returns().isTensorDict()).isTrue();
    assertThat(signature.returnedKeys()).isEmpty();
    assertThat(signature.describe())
        .isEqualTo("forward(store_id: Tensor, history: Tensor, calendar: Tensor) -> Dict[str, Tensor]");
  }

  @Test
  void aTracedModelsMangledRootClassAndTheKeysOfTheDictLiteralItReturns() throws Exception {
    ForwardSignature signature = ForwardSignature.read(Fixtures.FORECASTER_TRACED);

    assertThat(signature.rootClass()).isEqualTo("__torch__.___torch_mangle_5.StoreForecaster");
    assertThat(signature.parameters()).extracting(Parameter::name).containsExactly("store_id", "history", "calendar");
    assertThat(signature.returnedKeys()).contains(List.of("forecast", "p_stockout"));
  }

  @Test
  void theExamplesSignatures() throws Exception {
    ForwardSignature dict = ForwardSignature.read(Fixtures.example("two-args-dict"));
    ForwardSignature tokens = ForwardSignature.read(Fixtures.example("token-classifier"));
    ForwardSignature tuple = ForwardSignature.read(Fixtures.example("lstm-two-inputs"));

    assertThat(dict.describe()).isEqualTo("forward(prices: Tensor, volume: Tensor) -> Dict[str, Tensor]");
    assertThat(dict.returnedKeys()).contains(List.of("forecast", "regime")); // _4 = {...}; return _4
    assertThat(tokens.describe()).isEqualTo("forward(tokens: Tensor, mask: Tensor) -> Tensor");
    assertThat(tuple.describe()).isEqualTo("forward(x: Tensor) -> Tuple[Tensor, Tensor]");
    assertThat(tuple.returns().isTensorTuple()).isTrue();
    assertThat(tuple.returns().arguments()).hasSize(2);
  }

  @Test
  void optionalArgumentsDefaultsAndTypesAContractCannotPass() throws Exception {
    String code = """
        class Net(Module):
          __parameters__ = []
          def helper(self: __torch__.Net,
            x: Tensor) -> Tensor:
            return x
          def forward(self: __torch__.Net,
            x: Tensor,
            extras: Dict[str, Tensor],
            mask: Optional[Tensor]=None,
            scale: float=1.,
            names: List[str]=["a, b"]) -> Tuple[Tensor, Dict[str, Tensor]]:
            _0 = {"ignored": x}
            return (x, _0)
        class Other(Module):
          def forward(self: __torch__.Other,
            y: Tensor) -> Tensor:
            return y
        """;

    ForwardSignature signature = ForwardSignature.parse("__torch__.Net", "Net", code, "net.pt");

    assertThat(signature.parameters()).containsExactly(
        new Parameter("x", TorchType.parse("Tensor"), Optional.empty()),
        new Parameter("extras", TorchType.parse("Dict[str, Tensor]"), Optional.empty()),
        new Parameter("mask", TorchType.parse("Optional[Tensor]"), Optional.of("None")),
        new Parameter("scale", TorchType.parse("float"), Optional.of("1.")),
        new Parameter("names", TorchType.parse("List[str]"), Optional.of("[\"a, b\"]")));
    assertThat(signature.parameters().get(1).type().isTensorDict()).isTrue();
    assertThat(signature.parameters().get(2).type().isOptionalTensor()).isTrue();
    assertThat(signature.returns().isTensorTuple()).as("a tuple holding a dict").isFalse();
    assertThat(signature.returns().arguments().get(1)).isEqualTo(TorchType.parse("Dict[str,Tensor]"));
    assertThat(signature.returnedKeys()).isEmpty();
  }

  @Test
  void keysWrittenAtRunTimeAreNotGuessed() {
    assertThat(ForwardSignature.returnedKeys("    _0 = {name: x, \"b\": y}\n    return _0\n")).isEmpty();
    assertThat(ForwardSignature.returnedKeys("    return {\"a\": x, 'b:c': torch.cat([x, y], -1)}\n"))
        .contains(List.of("a", "b:c"));
  }

  @Test
  void aFileThatIsNotTorchScriptIsRefusedWithWhatToDo() throws Exception {
    Path text = Files.writeString(dir.resolve("model.pt"), "state_dict, not a scripted module");
    Path zip = dir.resolve("weights.pt");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("weights/data/0"));
      out.write(1);
    }

    assertThatThrownBy(() -> ForwardSignature.read(text)).isInstanceOf(DraftException.class)
        .hasMessageContaining("not a TorchScript file").hasMessageContaining("torch.jit.save");
    assertThatThrownBy(() -> ForwardSignature.read(zip)).isInstanceOf(DraftException.class)
        .hasMessageContaining("without data.pkl");
  }
}
