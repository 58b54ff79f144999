package dev.modelcontract.draft;

import dev.modelcontract.contract.DType;
import dev.modelcontract.contract.DraftMarks;
import dev.modelcontract.contract.TensorShape;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a {@link ContractDraft} as {@code model-contract.yaml}: the contract language of docs/contract.md, each
 * learned value with a comment on where it came from, each value left to the user as a {@link DraftMarks mark} that
 * {@code validate} reports with its line.
 */
public final class DraftYaml {

  /** The bounds drafted for the named dims: validate's dry runs try both ends, so they are worth checking. */
  static final String BATCH_BOUNDS = "{min: 1, max: 64}";
  static final String SEQUENCE_BOUNDS = "{min: 1, max: 512}";

  private static final int COMMENT_COLUMN = 36;

  private DraftYaml() {}

  public static String write(ContractDraft draft) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("# yaml-language-server: $schema=../target/model-contract/model-contract.schema.json\n");
    yaml.append("# Drafted by `mvn model-contract:init` from ").append(draft.modelFile()).append(",\n");
    yaml.append("#   ").append(draft.signature()).append('\n');
    yaml.append(draft.sample().map(sample -> "# and runs on " + sample + ": dtypes and shapes as the model took and"
        + " returned them.\n").orElse("# Without a sample request, dtypes and shapes are left to you.\n"));
    yaml.append("# Check the dims' bounds and add normalize/denormalize where the model expects scaled values.\n");
    if (draft.hasTodos()) {
      yaml.append("# Write each value marked " + DraftMarks.MARK + ": `mvn validate` names each one with its line (or"
          + " delete this file\n# and run init again with a sample request). Reference: docs/contract.md.\n");
    } else {
      yaml.append("# Reference: docs/contract.md.\n");
    }
    draft.notes().forEach(note -> yaml.append("# Note: ").append(note).append('\n'));
    yaml.append("$schema: ../target/model-contract/model-contract.schema.json\n");
    yaml.append("version: 1\n\n");
    yaml.append("model:\n  file: ").append(scalar(draft.modelFile())).append("\n\n");

    String origin = draft.learnedDims() ? "the sample runs showed it" : "assumed: keep it if your shapes use it";
    if (draft.batch() || draft.sequence()) {
      yaml.append("dims:\n");
      if (draft.batch()) {
        line(yaml, "  " + SampleRun.BATCH + ": " + BATCH_BOUNDS, origin);
      }
      if (draft.sequence()) {
        line(yaml, "  " + SampleRun.SEQUENCE + ": " + SEQUENCE_BOUNDS, origin + "; sequence length");
      }
      yaml.append('\n');
    }
    if (draft.batch()) {
      yaml.append("batch:\n  dim: ").append(SampleRun.BATCH).append('\n');
      line(yaml, "  unbatchedRequests: true", "a request without the batch axis is served as a batch of one");
      yaml.append('\n');
    }

    yaml.append("inputs:\n");
    for (ContractDraft.Input input : draft.inputs()) {
      line(yaml, "  - name: " + scalar(input.name()), input.comment());
      yaml.append("    dtype: ").append(value(input.dtype(), DType::contractName)).append('\n');
      yaml.append("    shape: ").append(value(input.shape(), TensorShape::toString)).append('\n');
    }

    yaml.append("\nforward:\n  arguments:\n");
    for (ContractDraft.Argument argument : draft.arguments()) {
      yaml.append("    - ").append(argument.form()).append(": ").append(value(argument.names(),
          names -> argument.form().equals("input") ? names.get(0) : names.toString())).append('\n');
    }
    yaml.append("  returns: ").append(value(draft.returns(), Function.identity())).append('\n');

    yaml.append("\noutputs:\n");
    for (ContractDraft.Output output : draft.outputs()) {
      line(yaml, "  - name: " + value(output.name(), DraftYaml::scalar), output.comment());
      output.index().ifPresent(index -> yaml.append("    index: ").append(index).append('\n'));
      output.key().ifPresent(key -> yaml.append("    key: ").append(quoted(key)).append('\n'));
      yaml.append("    dtype: ").append(value(output.dtype(), DType::contractName)).append('\n');
      yaml.append("    shape: ").append(value(output.shape(), TensorShape::toString)).append('\n');
    }
    return yaml.toString();
  }

  private static <T> String value(Drafted<T> drafted, Function<T, String> text) {
    return drafted.value().map(text).orElseGet(() -> quoted(DraftMarks.mark(drafted.todo())));
  }

  private static void line(StringBuilder yaml, String text, String comment) {
    yaml.append(text);
    if (!comment.isEmpty()) {
      yaml.append(" ".repeat(Math.max(1, COMMENT_COLUMN - text.length()))).append("# ").append(comment);
    }
    yaml.append('\n');
  }

  /** A name or file as a plain scalar where YAML reads it back unchanged, else quoted. */
  static String scalar(String text) {
    return text.matches("[A-Za-z_][A-Za-z0-9_.-]*") && !List.of("true", "false", "null", "yes", "no", "on", "off")
        .contains(text.toLowerCase(java.util.Locale.ROOT)) ? text : quoted(text);
  }

  static String quoted(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
