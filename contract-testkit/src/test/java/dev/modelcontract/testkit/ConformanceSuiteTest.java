package dev.modelcontract.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.validation.Check;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The suite against servers that get one thing wrong, where the schema alone would not notice. */
class ConformanceSuiteTest {

  private static final Path HOUSES = Path.of(System.getProperty("examples.dir", "../examples"), "house-prices");

  @Test
  void anAnswerOfAnotherBatchSizeThanTheRequestsFailsTheValidCasesThoughItFitsTheSchema() throws Exception {
    ModelContract contract = new ContractReader().read(HOUSES.resolve("model").resolve(ContractReader.FILE_NAME));
    // two prices for every request: the OpenAPI schema allows 1 to 256 rows
    byte[] twoPrices = "{\"price\": [[410.5], [388.25]]}".getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/invocations", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, twoPrices.length);
      exchange.getResponseBody().write(twoPrices);
      exchange.close();
    });
    server.start();
    try {
      URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      List<Check> valid = ConformanceSuite.of(contract).withSeed(1).cases().stream()
          .filter(suiteCase -> suiteCase.kind() == ConformanceSuite.Kind.VALID)
          .map(suiteCase -> suiteCase.run(new ContractClient(endpoint, contract))).toList();

      assertThat(valid).filteredOn(Check::passed).extracting(Check::name)
          .allMatch(name -> name.contains(" at the typical sizes") || name.startsWith("still serving"));
      assertThat(valid).filteredOn(check -> !check.passed()).extracting(Check::detail)
          .contains("output 'price' has shape [2, 1] for inputs features[1, 6], where the contract's [batch, 1]"
              + " gives [1, 1]")
          .contains("output 'price' has shape [2, 1] for inputs features[256, 6], where the contract's [batch, 1]"
              + " gives [256, 1]");
    } finally {
      server.stop(0);
    }
  }
}
