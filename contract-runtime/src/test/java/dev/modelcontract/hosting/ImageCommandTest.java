package dev.modelcontract.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageCommandTest {

  @Test
  void eachCommandIsNamedByItsArgument() {
    assertThat(ImageCommand.of("serve")).contains(ImageCommand.SERVE);
    assertThat(ImageCommand.of("stub")).contains(ImageCommand.STUB);
    assertThat(ImageCommand.of("warm-up")).contains(ImageCommand.WARM_UP);
    assertThat(ImageCommand.SERVE).hasToString("serve");
  }

  @Test
  void anythingElseIsNoCommand() {
    assertThat(ImageCommand.of("train")).isEmpty();
    assertThat(ImageCommand.of("SERVE")).isEmpty();
    assertThat(ImageCommand.of(null)).isEmpty();
  }

  @Test
  void noArgumentServesAsKServeStartsAContainerAndMoreThanOneIsNoCommand() {
    assertThat(ImageCommand.ofCommandLine()).contains(ImageCommand.SERVE);
    assertThat(ImageCommand.ofCommandLine("stub")).contains(ImageCommand.STUB);
    assertThat(ImageCommand.ofCommandLine("serve", "stub")).isEmpty();
  }
}
