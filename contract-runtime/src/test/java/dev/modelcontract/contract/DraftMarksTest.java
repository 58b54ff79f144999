package dev.modelcontract.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A drafted contract's FILL IN marks, as validate reports them: one problem per mark, with its line. */
class DraftMarksTest {

  private static final String DRAFT = """
      version: 1
      model:
        file: model.pt
      inputs:
        - name: history
          dtype: float32
          shape: "FILL IN: write it, e.g. [batch, T, 3]"
      forward:
        arguments:
          - input: "FILL IN: make forward take tensors only"
        returns: tensor
      outputs:
        - name: FILL IN
          dtype: float32
          shape: [2]
          labels: ["FILL IN list", "done"]
      """;

  @Test
  void eachMarkIsOneProblemWithItsLineWhatToFillInAndWhatToDo() {
    ContractException e = read(DRAFT);

    assertThat(e.problems()).extracting(ContractProblem::toString).containsExactly(
        "draft.yaml:7:12 (/inputs/0/shape): the shape of input 'history' is still to fill in (marked FILL IN),"
            + " perhaps you should write it, e.g. [batch, T, 3]",
        "draft.yaml:10:14 (/forward/arguments/0/input): argument 1 of forward is still to fill in (marked FILL IN),"
            + " perhaps you should make forward take tensors only",
        "draft.yaml:13:11 (/outputs/0/name): the name of output 1 is still to fill in (marked FILL IN), perhaps you"
            + " should write it (see docs/contract.md)");
  }

  @Test
  void aContractWithoutMarksIsCheckedByTheSchemaAsBefore() {
    ContractException e = read(DRAFT.replace("\"FILL IN: write it, e.g. [batch, T, 3]\"", "[batch, 3]")
        .replace("\"FILL IN: make forward take tensors only\"", "history").replace("name: FILL IN", "name: label"));

    assertThat(e.problems()).noneMatch(problem -> problem.message().contains("marked FILL IN"));
    assertThat(e.getMessage()).contains("batch"); // the undeclared dim, reported as always
  }

  private static ContractException read(String yaml) {
    return catchThrowableOfType(ContractException.class, () -> new ContractReader().read("draft.yaml",
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));
  }
}
