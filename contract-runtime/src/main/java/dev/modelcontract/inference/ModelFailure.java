package dev.modelcontract.inference;

/** The model raised an error on arguments that met its contract: the contract is looser than the model. */
public class ModelFailure extends Exception {

  public ModelFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
