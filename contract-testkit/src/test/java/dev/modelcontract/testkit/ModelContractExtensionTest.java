package dev.modelcontract.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelcontract.tensors.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension as a caller's CI uses it: the example's stub served for the class, the conformance suite as
 * dynamic tests, the typed client injected into a test of the caller's own.
 */
class ModelContractExtensionTest {

  private static final Path EXAMPLE = Path.of(System.getProperty("examples.dir", "../examples"))
      .resolve("house-prices");

  @RegisterExtension
  static final ModelContractExtension STUB = ModelContractExtension.stub()
      .contract(EXAMPLE.resolve("model/model-contract.yaml"))
      .golden(EXAMPLE.resolve("golden"))
      .seed(5);

  @TestFactory
  Stream<DynamicTest> conformance() {
    return STUB.conformanceTests();
  }

  @Test
  void suiteHasEveryKindOfCaseForThisContract() {
    assertThat(STUB.suite().cases()).extracting(ConformanceSuite.Case::kind)
        .contains(ConformanceSuite.Kind.GOLDEN, ConformanceSuite.Kind.VALID, ConformanceSuite.Kind.REFUSAL,
            ConformanceSuite.Kind.SKEW);
    assertThat(STUB.suite().seed()).isEqualTo(5);
  }

  @Test
  void callersOwnCaseThroughTheInjectedClient(ContractClient client) {
    float[][] houses = {{3, 80, 20, 5, 2, 1}, {5, 140, 10, 12, 0, 0}};

    Map<String, Tensor> answer = client.request().with("features", houses).invoke(RequestFormat.CSV);

    assertThat(answer).containsOnlyKeys("price");
    assertThat(answer.get("price").shape()).containsExactly(2, 1);
  }
}
