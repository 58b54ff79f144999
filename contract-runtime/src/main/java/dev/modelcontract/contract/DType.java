package dev.modelcontract.contract;

import java.util.Arrays;
import java.util.Optional;

/** Element types a contract can declare. */
public enum DType {
  FLOAT32("float32");

  private final String contractName;

  DType(String contractName) {
    this.contractName = contractName;
  }

  /** The name used in contract files. */
  public String contractName() {
    return contractName;
  }

  public static Optional<DType> fromContractName(String name) {
    return Arrays.stream(values()).filter(type -> type.contractName.equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return contractName;
  }
}
