package dev.modelcontract.hosting;

import java.util.Optional;

/** The argument an image's entrypoint passes to the server: what the container does. */
public enum ImageCommand {

  /**
   * Serve the model: SageMaker starts every hosting container with {@code docker run IMAGE serve}; KServe starts a
   * custom predictor with no argument, which means this command too.
   */
  SERVE("serve"),
  /**
   * A stub image's command: the contract enforced as {@code serve} enforces it, golden requests answered with their
   * golden responses, without the model or libtorch.
   */
  STUB("stub"),
  /**
   * The image build's training start: serve on a free port, answer the golden requests over HTTP, exit. The classes
   * it loads become the image's class-data-sharing archive.
   */
  WARM_UP("warm-up");

  private final String argument;

  ImageCommand(String argument) {
    this.argument = argument;
  }

  /** The command-line argument, e.g. {@code serve}. */
  public String argument() {
    return argument;
  }

  /**
   * The command a command line names: its one argument's, or {@link #SERVE} for none (as KServe starts a container);
   * empty for anything else.
   */
  public static Optional<ImageCommand> ofCommandLine(String... arguments) {
    return arguments.length == 0 ? Optional.of(SERVE) : arguments.length == 1 ? of(arguments[0]) : Optional.empty();
  }

  /** The command a command-line argument names, if any. */
  public static Optional<ImageCommand> of(String argument) {
    for (ImageCommand command : values()) {
      if (command.argument.equals(argument)) {
        return Optional.of(command);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return argument;
  }
}
