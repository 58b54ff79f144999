package dev.modelcontract.contract;

import java.util.List;
import java.util.stream.Collectors;

/** A contract file that cannot be used, with every problem found in it. */
public class ContractException extends Exception {

  private final String file;
  private final List<ContractProblem> problems;

  public ContractException(String file, List<ContractProblem> problems) {
    super(describe(file, problems));
    this.file = file;
    this.problems = List.copyOf(problems);
  }

  public String file() {
    return file;
  }

  public List<ContractProblem> problems() {
    return problems;
  }

  private static String describe(String file, List<ContractProblem> problems) {
    return problems.stream()
        .map(problem -> "  " + problem)
        .collect(Collectors.joining("\n", "The model contract " + file + " has " + problems.size()
            + (problems.size() == 1 ? " problem" : " problems") + ":\n", ""));
  }
}
