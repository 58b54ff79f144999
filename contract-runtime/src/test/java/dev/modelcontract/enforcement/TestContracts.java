package dev.modelcontract.enforcement;

import dev.modelcontract.contract.ContractException;
import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.contract.ModelContract;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** Contracts for enforcement tests, read from YAML text the way the server reads files. */
public final class TestContracts {

  private TestContracts() {}

  public static ModelContract read(String yaml) {
    try {
      return new ContractReader().read("test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    } catch (ContractException e) {
      throw new AssertionError("test contract is invalid: " + e.getMessage(), e);
    }
  }

  /** Two inputs sharing T, like the example: input_1 [batch, T, 4], input_2 [batch, T, 2]. */
  public static ModelContract twoInputs(boolean unbatchedRequests) {
    return read("""
        version: 1
        model: {file: model.pt}
        dims:
          batch: {max: 8}
          T: {min: 1, max: 10}
        batch:
          dim: batch
          unbatchedRequests: %s
        inputs:
          - name: input_1
            dtype: float32
            shape: [batch, T, 4]
          - name: input_2
            dtype: float32
            shape: [batch, T, 2]
        forward:
          arguments:
            - concat: [input_1, input_2]
          returns: tuple
        outputs:
          - name: output_1
            index: 0
            dtype: float32
            shape: [batch, 1]
        """.formatted(unbatchedRequests));
  }
}
