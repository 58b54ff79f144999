package dev.modelcontract.examples.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelcontract.testkit.ContractClient;
import dev.modelcontract.testkit.ModelContractExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The forecast client against a stub of the model's contract: the stub answers a golden request with its golden
 * response, so the client's encoding is right exactly when the forecast is the golden one; and it refuses a broken
 * request as the real endpoint would.
 */
class ForecastClientTest {

  private static final Path MODEL_REPO = Path.of("..", "lstm-two-inputs");

  @RegisterExtension
  static final ModelContractExtension ENDPOINT = ModelContractExtension.stub()
      .contract(MODEL_REPO.resolve("model/model-contract.yaml"))
      .golden(MODEL_REPO.resolve("golden"));

  @Test
  void forecastsTheGoldenSequenceAsTheModelDoes(ContractClient stub) throws Exception {
    JsonNode golden = JsonMapper.builder().build()
        .readTree(Files.readString(MODEL_REPO.resolve("golden/unbatched.json")));
    List<Candle> candles = new ArrayList<>();
    JsonNode prices = golden.at("/request/input_1");
    JsonNode volumes = golden.at("/request/input_2");
    for (int t = 0; t < prices.size(); t++) {
      JsonNode price = prices.get(t);
      JsonNode volume = volumes.get(t);
      candles.add(new Candle(price.get(0).asDouble(), price.get(1).asDouble(), price.get(2).asDouble(),
          price.get(3).asDouble(), volume.get(0).asDouble(), volume.get(1).asDouble()));
    }

    Forecast forecast = new ForecastClient(stub.endpoint()).forecast(candles);

    assertEquals(golden.at("/response/output_1/0").asDouble(), forecast.nextClose(), 1e-4);
    assertTrue(List.of("down", "flat", "up").contains(forecast.direction()));
  }

  @Test
  void aHistoryLongerThanTheModelTakesIsRefusedWithTheEndpointsReason(ContractClient stub) {
    List<Candle> twoYears = new ArrayList<>();
    for (int day = 0; day < 730; day++) {
      twoYears.add(new Candle(100, 99, 101, 100, 15000, 0.5));
    }

    ForecastClient.ForecastRefused refused = assertThrows(ForecastClient.ForecastRefused.class,
        () -> new ForecastClient(stub.endpoint()).forecast(twoYears));

    assertEquals(422, refused.status());
    assertTrue(refused.getMessage().contains("T = 730"), refused.getMessage());
  }
}
