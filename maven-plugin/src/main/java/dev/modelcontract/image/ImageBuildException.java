package dev.modelcontract.image;

/** The serving image could not be built; the message says why and what to do. */
public class ImageBuildException extends Exception {

  public ImageBuildException(String message) {
    super(message);
  }

  public ImageBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
