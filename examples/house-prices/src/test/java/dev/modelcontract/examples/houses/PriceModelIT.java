package dev.modelcontract.examples.houses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.testkit.ContractClient;
import dev.modelcontract.testkit.ModelContractExtension;
import dev.modelcontract.testkit.RequestFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * This model repo's own cases, beside the conformance suite the plugin's verify goal runs: the image built by
 * this build, started as SageMaker starts it (and stopped as SageMaker stops it when the class ends), called
 * through the typed client with plain Java arrays.
 */
class PriceModelIT {

  @RegisterExtension
  static final ModelContractExtension IMAGE =
      ModelContractExtension.image(System.getProperty("model.image", "house-prices:1.0.0"));

  /** rooms, area m², age, distance to centre km, floor, has lift. */
  private static final float[][] HOUSES = {{3, 80, 20, 5, 2, 1}, {5, 140, 10, 12, 0, 0}, {1, 35, 60, 1, 4, 0}};

  @Test
  void everyRequestFormatGetsTheSamePrices(ContractClient client) {
    Map<String, Tensor> json = client.request().with("features", HOUSES).invoke(RequestFormat.JSON);

    for (RequestFormat format : new RequestFormat[] {RequestFormat.CSV, RequestFormat.NPY, RequestFormat.NPZ}) {
      Map<String, Tensor> other = client.request().with("features", HOUSES).invoke(format);
      assertArrayEquals((float[]) json.get("price").array(), (float[]) other.get("price").array(), format.name());
    }
  }

  @Test
  void aBatchIsPricedRowForRowAsEachHouseAlone(ContractClient client) {
    float[] batch = (float[]) client.request().with("features", HOUSES).invoke().get("price").array();

    for (int row = 0; row < HOUSES.length; row++) {
      Tensor alone = client.request().with("features", HOUSES[row]).invoke().get("price");
      assertArrayEquals(new long[] {1}, alone.shape(), "an unbatched house gets one price");
      float expected = ((float[]) alone.array())[0];
      assertEquals(expected, batch[row], 1e-5 * (1 + Math.abs(expected)), "house " + row);
    }
  }
}
