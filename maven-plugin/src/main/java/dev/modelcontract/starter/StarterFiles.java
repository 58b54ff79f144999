package dev.modelcontract.starter;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.draft.DraftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The first files of a model repo: {@code pom.xml} with the plugin, the TorchScript file copied into the model
 * folder, the contract drafted from it next to it, and a note on golden pairs. A file that exists is kept as it
 * is, and said so; the contract is drafted only where there is none.
 *
 * @param baseDirectory the repo's folder, where {@code pom.xml} goes
 * @param modelDirectory where the model file and {@code model-contract.yaml} go
 * @param goldenDirectory where the golden pairs go
 */
public record StarterFiles(Path baseDirectory, Path modelDirectory, Path goldenDirectory) {

  /** Where the golden-pair note goes, in the golden folder. */
  public static final String GOLDEN_NOTE = "README.md";
  public static final String POM = "pom.xml";

  /**
   * What init did.
   *
   * @param written the files written
   * @param kept the files that existed and were left as they are
   */
  public record Result(List<Path> written, List<Path> kept) {

    public Result {
      written = List.copyOf(written);
      kept = List.copyOf(kept);
    }
  }

  /**
   * The TorchScript file init starts from: {@code modelFile} as a path (relative to the repo's folder), or, as a
   * name, the file of that name in the model folder.
   *
   * @throws DraftException when neither exists
   */
  public Path locateModel(String modelFile) throws DraftException {
    Path given = baseDirectory.resolve(modelFile);
    if (Files.isRegularFile(given)) {
      return given;
    }
    Path inModelDirectory = modelDirectory.resolve(modelFile);
    if (Files.isRegularFile(inModelDirectory)) {
      return inModelDirectory;
    }
    throw new DraftException("no TorchScript file " + given + (inModelDirectory.equals(given) ? ""
        : " nor " + inModelDirectory) + ": init drafts the contract from the model, so save it first"
        + " (torch.jit.save(torch.jit.script(model), path)) and name it with -Dmodelcontract.init.modelFile=PATH");
  }

  /** Whether the model folder has a contract already, which init keeps. */
  public boolean hasContract() {
    return Files.exists(modelDirectory.resolve(ContractReader.FILE_NAME));
  }

  /**
   * Writes every file that does not exist yet.
   *
   * @param model the TorchScript file, copied into the model folder unless a file of its name is there already
   * @param pom the pom's text
   * @param contract the drafted contract; empty where the model folder has one (see {@link #hasContract()})
   */
  public Result write(Path model, String pom, Optional<String> contract) throws IOException {
    List<Path> written = new ArrayList<>();
    List<Path> kept = new ArrayList<>();
    writeNew(baseDirectory.resolve(POM), pom, written, kept);
    Path modelCopy = modelDirectory.resolve(model.getFileName());
    if (Files.exists(modelCopy)) {
      kept.add(modelCopy);
    } else {
      Files.createDirectories(modelDirectory);
      Files.copy(model, modelCopy);
      written.add(modelCopy);
    }
    Path contractFile = modelDirectory.resolve(ContractReader.FILE_NAME);
    if (contract.isPresent()) {
      writeNew(contractFile, contract.get(), written, kept);
    } else {
      kept.add(contractFile);
    }
    writeNew(goldenDirectory.resolve(GOLDEN_NOTE), GOLDEN, written, kept);
    return new Result(written, kept);
  }

  private static void writeNew(Path file, String text, List<Path> written, List<Path> kept) throws IOException {
    if (Files.exists(file)) {
      kept.add(file);
      return;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    written.add(file);
  }

  /** The pom of a new model repo with this plugin. */
  public static String pom(Coordinates project, Coordinates plugin) {
    return StarterPom.xml(project, plugin);
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
