package dev.modelcontract.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceMapTest {

  private final SourceMap source = new SourceMap("c.yaml", Map.of(
      "", new SourceMap.Location(1, 1),
      "/inputs", new SourceMap.Location(8, 3),
      "/inputs/0", new SourceMap.Location(9, 5),
      "/inputs/0/shape", new SourceMap.Location(11, 12)));

  @Test
  void describesAFieldItKnows() {
    assertThat(source.describe("/inputs/0/shape")).isEqualTo("c.yaml:11:12");
    assertThat(source.describe("/inputs")).isEqualTo("c.yaml:8:3");
  }

  @Test
  void fallsBackToTheNearestEnclosingField() {
    assertThat(source.describe("/inputs/0/dtype")).isEqualTo("c.yaml:9:5");
    assertThat(source.describe("/inputs/0/normalize/mean")).isEqualTo("c.yaml:9:5");
    assertThat(source.describe("/inputs/3/shape")).isEqualTo("c.yaml:8:3");
    assertThat(source.describe("/outputs")).isEqualTo("c.yaml:1:1");
  }

  @Test
  void fallsBackToTheBareFileNameWhenNothingEncloses() {
    SourceMap empty = new SourceMap("c.yaml", Map.of());

    assertThat(empty.describe("/outputs/0/index")).isEqualTo("c.yaml");
    assertThat(empty.describe("")).isEqualTo("c.yaml");
  }
}
