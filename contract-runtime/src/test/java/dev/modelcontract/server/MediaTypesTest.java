package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MediaTypesTest {

  /** Whether an Accept header admits the type, when it is the one type on offer. */
  private static boolean accepts(String accept, String type) {
    return MediaTypes.negotiate(accept, List.of(type)) != null;
  }

  @Test
  void essenceDropsParametersAndCase() {
    assertThat(MediaTypes.essence("application/json")).isEqualTo("application/json");
    assertThat(MediaTypes.essence("Application/JSON; charset=UTF-8")).isEqualTo("application/json");
    assertThat(MediaTypes.essence("  text/csv ;header=present")).isEqualTo("text/csv");
  }

  @Test
  void essenceOfAnAbsentHeaderIsNull() {
    assertThat(MediaTypes.essence(null)).isNull();
    assertThat(MediaTypes.essence("")).isNull();
    assertThat(MediaTypes.essence("   ")).isNull();
  }

  @Test
  void absentAcceptAdmitsEverything() {
    assertThat(accepts(null, MediaTypes.JSON)).isTrue();
    assertThat(accepts(" ", MediaTypes.JSON)).isTrue();
  }

  @Test
  void exactTypeAndWildcardsAreAccepted() {
    assertThat(accepts("application/json", MediaTypes.JSON)).isTrue();
    assertThat(accepts("APPLICATION/JSON", MediaTypes.JSON)).isTrue();
    assertThat(accepts("application/*", MediaTypes.JSON)).isTrue();
    assertThat(accepts("*/*", MediaTypes.JSON)).isTrue();
    assertThat(accepts("text/csv, application/json", MediaTypes.JSON)).isTrue();
    assertThat(accepts("application/json;q=0.9, */*;q=0.1", MediaTypes.JSON)).isTrue();
  }

  @Test
  void otherTypesAreNotAccepted() {
    assertThat(accepts("text/csv", MediaTypes.JSON)).isFalse();
    assertThat(accepts("text/*, application/xml", MediaTypes.JSON)).isFalse();
    assertThat(accepts("application/jsonl", MediaTypes.JSON)).isFalse();
  }

  @Test
  void qualityZeroExcludesARange() {
    assertThat(accepts("application/json;q=0", MediaTypes.JSON)).isFalse();
    assertThat(accepts("application/json; q=0.0, text/csv", MediaTypes.JSON)).isFalse();
    assertThat(accepts("*/*;q=0", MediaTypes.JSON)).isFalse();
    assertThat(accepts("application/json;q=0, */*", MediaTypes.JSON))
        .as("the most specific range decides (RFC 9110)").isFalse();
  }

  @Test
  void malformedQualityDoesNotExclude() {
    assertThat(accepts("application/json;q=high", MediaTypes.JSON)).isTrue();
  }

  @Test
  void negotiationPicksTheHighestQualityAndBreaksTiesByTheServersOrder() {
    List<String> offered = List.of(MediaTypes.JSON, MediaTypes.NPZ, MediaTypes.NPY);

    assertThat(MediaTypes.negotiate(null, offered)).isEqualTo(MediaTypes.JSON);
    assertThat(MediaTypes.negotiate("*/*", offered)).isEqualTo(MediaTypes.JSON);
    assertThat(MediaTypes.negotiate("application/x-npy", offered)).isEqualTo(MediaTypes.NPY);
    assertThat(MediaTypes.negotiate("application/json;q=0.5, application/x-npz", offered)).isEqualTo(MediaTypes.NPZ);
    assertThat(MediaTypes.negotiate("application/*;q=0.2, application/x-npz;q=0.1", offered))
        .isEqualTo(MediaTypes.JSON);
    assertThat(MediaTypes.negotiate("application/json;q=0, */*", offered)).isEqualTo(MediaTypes.NPZ);
    assertThat(MediaTypes.negotiate("text/csv", offered)).isNull();
  }

  @Test
  void anAcceptHeaderOfSeparatorsOnlyIsNoPreference() {
    for (String accept : List.of(";", ";;", " ;", ",", " , ; ")) {
      assertThat(MediaTypes.negotiate(accept, List.of("application/json", "application/x-npz")))
          .as("Accept: %s", accept).isEqualTo("application/json");
    }
    assertThat(MediaTypes.negotiate(".text,;", List.of("application/json"))).isNull();
  }
}
