package dev.modelcontract.draft;

import java.util.Optional;

/**
 * A value of the draft: learned from the model, or left for the user with a note on what to write.
 *
 * @param value the value, where init learned it
 * @param todo what the user should write, where it did not
 */
public record Drafted<T>(Optional<T> value, String todo) {

  public static <T> Drafted<T> learned(T value) {
    return new Drafted<>(Optional.of(value), "");
  }

  public static <T> Drafted<T> todo(String what) {
    return new Drafted<>(Optional.empty(), what);
  }

  public boolean isLearned() {
    return value.isPresent();
  }
}
