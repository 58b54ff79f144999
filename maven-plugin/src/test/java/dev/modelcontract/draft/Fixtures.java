package dev.modelcontract.draft;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The files the draft tests read: the forecaster fixture (src/test/python/generate_forecaster.py) and the examples. */
final class Fixtures {

  static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
  static final Path FORECASTER = resource("forecaster.pt");
  static final Path FORECASTER_TRACED = resource("forecaster-traced.pt");
  static final Path SAMPLE = resource("sample.json");
  static final String SAMPLE_HINT = "-Dmodelcontract.init.sample=request.json";

  private Fixtures() {}

  static Path example(String name) {
    return EXAMPLES.resolve(name).resolve("model/model.pt");
  }

  private static Path resource(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/init/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
