package dev.modelcontract.testkit;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.server.MediaTypes;
import dev.modelcontract.server.ProblemType;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the server answered (/invocations, a model's invoke route, the /models API): the status, the Content-Type and
 * the body, read as named outputs or as a problem.
 *
 * @param status the HTTP status
 * @param contentType the Content-Type header, empty when absent
 * @param body the bytes of the body
 */
public record Answer(int status, String contentType, byte[] body) {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  public boolean isProblem() {
    return contentType.startsWith("application/problem+json");
  }

  /**
   * The outputs by name, each in the storage of its declared dtype, from a JSON answer (the first line of a JSON
   * Lines answer).
   *
   * @throws TensorFormatException when the body is not a set of named tensors of the declared dtypes
   */
  public Map<String, Tensor> outputs(ModelContract contract) throws TensorFormatException {
    try {
      return JsonTensorReader.forOutputs(contract).read(new ByteArrayInputStream(json()));
    } catch (ContractViolation e) {
      throw new TensorFormatException(e.pointer(), e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON of the answer: the body, or the first line of a JSON Lines body. */
  public byte[] json() {
    if (!contentType.startsWith(MediaTypes.JSON_LINES)) {
      return body;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The problem of a 4xx or 5xx answer (RFC 9457).
   *
   * @throws JacksonException when the body is not JSON
   */
  public JsonNode problem() {
    return tree();
  }

  /**
   * The body read as JSON: a problem, or what a multi-model endpoint's /models routes answer.
   *
   * @throws JacksonException when the body is not JSON
   */
  public JsonNode tree() {
    return JSON.readTree(body);
  }

  /** The problem's type without {@link ProblemType#TYPE_BASE}, e.g. {@code shape-mismatch}; null when there is none. */
  public String problemType() {
    if (!isProblem()) {
      return null;
    }
    try {
      String type = problem().path("type").asString(null);
      return type != null && type.startsWith(ProblemType.TYPE_BASE) ? type.substring(ProblemType.TYPE_BASE.length()) : type;
    } catch (JacksonException e) {
      return null;
    }
  }

  /** The body as text, cut at 500 characters, for messages. */
  public String text() {
    String text = new String(body, StandardCharsets.UTF_8);
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }
}
