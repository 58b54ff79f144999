package dev.modelcontract.starter;

import dev.modelcontract.contract.ContractReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The first files of a model repo: a starter contract next to the TorchScript file (one sequence input, one
 * output, every field the language has shown and commented, valid as written so that {@code validate} can say at
 * once where the model disagrees), and a note on golden pairs. Nothing that exists is replaced.
 */
public final class StarterFiles {

  /** Where the golden-pair note goes, in the golden folder. */
  public static final String GOLDEN_NOTE = "README.md";

  private StarterFiles() {}

  /**
   * Writes {@code model-contract.yaml} into the model folder and {@code README.md} into the golden folder.
   *
   * @param modelFile the TorchScript file's name in the model folder
   * @return the files written
   * @throws IOException when the contract exists already (nothing is written then) or a file cannot be written
   */
  public static List<Path> write(Path modelDirectory, String modelFile, Path goldenDirectory) throws IOException {
    Path contract = modelDirectory.resolve(ContractReader.FILE_NAME);
    if (Files.exists(contract)) {
      throw new IOException(contract + " exists; init writes a starter contract only where there is none");
    }
    List<Path> written = new ArrayList<>();
    Files.createDirectories(modelDirectory);
    Files.writeString(contract, contract(modelFile), StandardCharsets.UTF_8);
    written.add(contract);
    Path note = goldenDirectory.resolve(GOLDEN_NOTE);
    if (!Files.exists(note)) {
      Files.createDirectories(goldenDirectory);
      Files.writeString(note, GOLDEN, StandardCharsets.UTF_8);
      written.add(note);
    }
    return written;
  }

  static String contract(String modelFile) {
    return """
        # yaml-language-server: $schema=../target/model-contract/model-contract.schema.json
        # Starter contract written by `mvn model-contract:init`: edit it to say what your model takes and returns,
        # then run `mvn validate` (it loads the model and runs it on requests of these shapes, naming any field the
        # model disagrees with). Reference: docs/contract.md.
        $schema: ../target/model-contract/model-contract.schema.json
        version: 1

        model:
          file: %s

        dims:
          batch: {min: 1, max: 64}
          T: {min: 1, max: 512}             # sequence length: named dims are shared by every axis of that name

        batch:
          dim: batch
          unbatchedRequests: true           # {"input": [[...]]} of shape (T, 4) is served as a batch of one

        inputs:
          - name: input                     # the name callers send
            dtype: float32
            shape: [batch, T, 4]            # 4 features per step: your model's number
            normalize:                      # training-time standardization: (x - mean) / std, per feature
              mean: [0.0, 0.0, 0.0, 0.0]
              std: [1.0, 1.0, 1.0, 1.0]

        forward:
          arguments:
            - input: input                  # forward(x); several inputs: one argument each, or concat: [a, b]
          returns: tensor                   # or tuple (outputs by index), or dict (outputs by key)

        outputs:
          - name: output
            dtype: float32
            shape: [batch, 1]
        """.formatted(modelFile);
  }

  private static final String GOLDEN = """
      # Golden pairs

      Each `*.json` file here is one request and the response the model must give, computed in Python the way
      your training code serves it (or recorded from the model: `mvn model-contract:record
      -Dmodelcontract.record=requests/`). `validate` replays them in-process, the image replays them at every start
      on the host's CPU, and `verify` sends them to the running image; a value off by more than the tolerance fails.

      ```json
      {"description": "one sequence of 3 steps",
       "request": {"input": [[0.5, 1.0, 1.5, 2.0], [0.4, 0.9, 1.4, 1.9], [0.3, 0.8, 1.3, 1.8]]},
       "response": {"output": [0.731]}}
      ```
      """;
}
