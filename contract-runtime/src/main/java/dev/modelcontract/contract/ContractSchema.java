package dev.modelcontract.contract;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The published JSON Schema of contract files, checked with the networknt validator. */
public final class ContractSchema {

  /** Classpath location of the schema; docs/contract.md links the same file. */
  public static final String RESOURCE = "/dev/modelcontract/contract/model-contract.schema.json";

  private static final Schema SCHEMA = load();

  private ContractSchema() {}

  /**
   * The schema violations of a parsed contract file, each located in the file; in a draft that still holds
   * {@link DraftMarks}, the marks alone: each placeholder breaks the schema where it stands, and what to fill in
   * says more than the type it breaks.
   */
  static List<ContractProblem> check(JsonNode document, SourceMap source) {
    List<ContractProblem> marks = DraftMarks.find(document, source);
    if (!marks.isEmpty()) {
      return marks;
    }
    return SCHEMA.validate(document).stream().map(error -> toProblem(error, source)).toList();
  }

  private static ContractProblem toProblem(Error error, SourceMap source) {
    String pointer = pointerOf(error.getInstanceLocation());
    if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
      return new ContractProblem(source.describe(pointer), pointer + "/" + error.getProperty(),
          "the field '" + error.getProperty() + "' is missing", "add it (see docs/contract.md)");
    }
    if ("additionalProperties".equals(error.getKeyword()) && error.getProperty() != null) {
      String field = pointer + "/" + error.getProperty();
      return new ContractProblem(source.describe(field), field,
          "the field '" + error.getProperty() + "' is not part of the contract language",
          "check its spelling or remove it (see docs/contract.md)");
    }
    return new ContractProblem(source.describe(pointer), pointer, error.getMessage(),
        "correct the value (see docs/contract.md)");
  }

  static String pointerOf(NodePath path) {
    StringBuilder pointer = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      pointer.append('/').append(JsonPointer.escape(path.getElement(i).toString()));
    }
    return pointer.toString();
  }

  private static Schema load() {
    try (InputStream in = ContractSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + RESOURCE);
      }
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(in, InputFormat.JSON);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
