package dev.modelcontract.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.enforcement.ContractViolation;
import dev.modelcontract.enforcement.InputBinder;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The probes for the example contract, each checked against the runtime's own decoding and binding: a probe
 * the server must refuse with 422 is one the binder rejects, naming the same input.
 */
class ContractBreakingRequestsTest {

  private static final Path EXAMPLE_CONTRACT = Path.of(System.getProperty("examples.dir", "../examples"),
      "lstm-two-inputs", "model", ContractReader.FILE_NAME);

  private static ModelContract contract;
  private static List<ProbeRequest> probes;

  @BeforeAll
  static void probeTheExample() throws Exception {
    contract = new ContractReader().read(EXAMPLE_CONTRACT);
    probes = ContractBreakingRequests.of(contract);
  }

  private static ProbeRequest probe(String name) {
    return probes.stream().filter(probe -> probe.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no probe '" + name + "' among " + probes.stream()
            .map(ProbeRequest::name).toList()));
  }

  private static Map<String, FloatTensor> decode(ProbeRequest probe) throws TensorFormatException, IOException {
    return new JsonTensorReader().read(new ByteArrayInputStream(probe.body()));
  }

  @Test
  void everyInputHasAMissingInputProbeNamingIt() {
    assertThat(probes).filteredOn(probe -> probe.name().startsWith("a request without"))
        .extracting(ProbeRequest::name, ProbeRequest::status, ProbeRequest::input)
        .containsExactly(
            tuple("a request without 'input_1'", 422, "input_1"),
            tuple("a request without 'input_2'", 422, "input_2"));
  }

  @Test
  void missingInputProbeHoldsEveryOtherInput() throws Exception {
    assertThat(decode(probe("a request without 'input_1'")).keySet()).containsExactly("input_2");
    assertThat(decode(probe("a request without 'input_2'")).keySet()).containsExactly("input_1");
  }

  @Test
  void widenedFeatureProbeHasOneMoreFeatureOnTheLastAxisOnly() throws Exception {
    Map<String, FloatTensor> request = decode(probe("'input_1' with 5 features instead of 4"));

    assertThat(request.get("input_1").shape()).containsExactly(2, 2, 5);
    assertThat(request.get("input_2").shape()).containsExactly(2, 2, 2);
    assertThat(decode(probe("'input_2' with 3 features instead of 2")).get("input_2").shape())
        .containsExactly(2, 2, 3);
  }

  @Test
  void widenedFeatureProbeRepeatsTheLastFeatureOfEachRow() throws Exception {
    float[] widened = decode(probe("'input_1' with 5 features instead of 4")).get("input_1").values();

    for (int row = 0; row < widened.length / 5; row++) {
      assertThat(widened[row * 5 + 4]).as("row %d", row).isEqualTo(widened[row * 5 + 3]);
    }
  }

  @Test
  void extraAxisProbeHasRankFour() throws Exception {
    assertThat(decode(probe("'input_1' with an extra axis (rank 4)")).get("input_1").shape())
        .containsExactly(1, 2, 2, 4);
  }

  @Test
  void everyUnprocessableProbeIsRejectedByTheBinderForTheInputItNames() {
    List<ProbeRequest> unprocessable = probes.stream().filter(probe -> probe.status() == 422).toList();

    assertThat(unprocessable).hasSize(7);
    for (ProbeRequest probe : unprocessable) {
      ContractViolation violation = catchThrowableOfType(ContractViolation.class,
          () -> new InputBinder(contract).bind(decode(probe)));
      assertThat(violation).as("the binder rejects %s", probe.name()).isNotNull();
      assertThat(violation.input()).as(probe.name()).isEqualTo(probe.input());
    }
  }

  @Test
  void everyBadRequestProbeFailsToDecode() {
    List<ProbeRequest> malformed = probes.stream().filter(probe -> probe.status() == 400).toList();

    assertThat(malformed).extracting(ProbeRequest::name)
        .containsExactly("'input_1' holding a string", "a body that is not JSON");
    for (ProbeRequest probe : malformed) {
      assertThat(catchThrowableOfType(TensorFormatException.class, () -> decode(probe)))
          .as("decoding %s", probe.name()).isNotNull();
    }
    assertThat(catchThrowableOfType(TensorFormatException.class, () -> decode(probe("'input_1' holding a string"))))
        .extracting(TensorFormatException::pointer).isEqualTo("/input_1/0/0");
  }

  @Test
  void mediaTypeProbesCarryAValidBodySoOnlyTheHeaderIsWrong() throws Exception {
    ProbeRequest csv = probe("a text/csv body");
    ProbeRequest accept = probe("Accept: text/csv only");

    assertThat(csv.contentType()).isEqualTo("text/csv");
    assertThat(csv.status()).isEqualTo(415);
    assertThat(accept.contentType()).isEqualTo("application/json");
    assertThat(accept.accept()).isEqualTo("text/csv");
    assertThat(accept.status()).isEqualTo(406);
    for (ProbeRequest probe : List.of(csv, accept)) {
      assertThat(new InputBinder(contract).bind(decode(probe)).dims())
          .containsOnly(Map.entry("batch", 2L), Map.entry("T", 2L));
    }
  }

  @Test
  void jsonProbesAreSentAsJsonWithoutAnAcceptHeader() {
    assertThat(probes).filteredOn(probe -> probe.status() == 422 || probe.status() == 400)
        .allSatisfy(probe -> {
          assertThat(probe.contentType()).isEqualTo("application/json");
          assertThat(probe.accept()).isNull();
        });
  }
}
