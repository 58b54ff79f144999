package dev.modelcontract.server;

import dev.modelcontract.contract.ContractViolation;
import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.tensors.CsvTensorReader;
import dev.modelcontract.tensors.CsvTensorWriter;
import dev.modelcontract.tensors.ElementType;
import dev.modelcontract.tensors.Envelope;
import dev.modelcontract.tensors.JsonForm;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Npy;
import dev.modelcontract.tensors.Npz;
import dev.modelcontract.tensors.RequestBody;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of body formats for one contract: which media types a request may have (numpy's .npy and CSV only
 * where they can carry the request), the one decoder of each, which types an answer may take, and how outputs are
 * encoded in them. Every route that takes inference bodies reads them here.
 *
 * <p>A JSON Lines body is a request per line, answered a JSON line per line. A CSV body is one request, a batch of
 * its rows, answered in any type, CSV's one line per row included; in a MULTI_RECORD batch transform job its rows are
 * records instead, queued in requests of up to the batch maximum each (so a body is bounded by its bytes, not by the
 * batch maximum), and answered only in line types: a CSV line or a JSON line per row, in order.
 */
final class BodyFormats {

  /** Encodes the outputs of one request in one answer type. */
  @FunctionalInterface
  private interface AnswerEncoder {
    void encode(RequestBody request, Map<String, Tensor> outputs, ByteArrayOutputStream out);
  }

  private final ModelContract contract;
  private final String modelName;
  private final long maxRequestBytes;
  private final JsonTensorReader reader;
  private final JsonTensorWriter writer = new JsonTensorWriter();
  /** Request media type to its decoder, the preferred first. */
  private final Map<String, BodyDecoder> decoders = new LinkedHashMap<>();
  /** Why a type this server knows cannot carry a request for this contract. */
  private final Map<String, String> unfit = new LinkedHashMap<>();
  private final Map<String, AnswerEncoder> encoders = new LinkedHashMap<>();
  private final CsvTensorWriter csvWriter = new CsvTensorWriter();
  /** Whether each row of a CSV body is a record of its own (a MULTI_RECORD batch transform job). */
  private final boolean multiRecord;

  /** The formats of a model served under its default name ({@link ModelContract#defaultName()}). */
  BodyFormats(ModelContract contract, long maxRequestBytes) {
    this(contract, contract.defaultName(), maxRequestBytes, false);
  }

  /**
   * @param modelName the model's name in Open Inference Protocol answers
   * @param multiRecord whether each row of a CSV body is a record of its own (a MULTI_RECORD batch transform job)
   */
  BodyFormats(ModelContract contract, String modelName, long maxRequestBytes, boolean multiRecord) {
    this.contract = contract;
    this.multiRecord = multiRecord;
    this.maxRequestBytes = maxRequestBytes;
    this.modelName = modelName;
    this.reader = JsonTensorReader.forInputs(contract);
    Map<String, ElementType> types = reader.types();
    InputSpec onlyInput = contract.inputs().size() == 1 ? contract.inputs().get(0) : null;

    decoders.put(MediaTypes.JSON, this::json);
    decoders.put(MediaTypes.JSON_LINES, new JsonLinesDecoder(reader, maxRequestBytes));
    decoders.put(MediaTypes.NPZ, body -> named(() -> Npz.read(body, 0, body.length, types, maxRequestBytes)));
    if (onlyInput != null) {
      decoders.put(MediaTypes.NPY, body -> named(() -> Map.of(onlyInput.name(), Npy.read(body, 0, body.length,
          onlyInput.name(), "/" + onlyInput.name(), types.get(onlyInput.name())))));
    } else {
      unfit.put(MediaTypes.NPY, "an .npy body carries one array, and this model takes " + contract.inputs().size()
          + " inputs; send application/x-npz (np.savez with one array per input name)");
    }
    String noCsv = whyNoCsv(contract);
    if (noCsv == null) {
      CsvTensorReader csv = new CsvTensorReader(onlyInput.name(), types.get(onlyInput.name()));
      decoders.put(MediaTypes.CSV, multiRecord ? body -> records(onlyInput.name(), csv, body)
          : body -> named(() -> Map.of(onlyInput.name(), csv.read(body, 0, body.length))));
    } else {
      unfit.put(MediaTypes.CSV, noCsv);
    }

    encoders.put(MediaTypes.JSON, (request, outputs, out) -> request.envelope().writeAnswer(writer, modelName,
        outputs, out));
    encoders.put(MediaTypes.NPZ, (request, outputs, out) -> Npz.write(outputs, out));
    if (contract.outputs().size() == 1) {
      encoders.put(MediaTypes.NPY, (request, outputs, out) -> Npy.write(outputs.values().iterator().next(), out));
    }
  }

  ModelContract contract() {
    return contract;
  }

  /** The model's name in Open Inference Protocol answers. */
  String modelName() {
    return modelName;
  }

  /** Every media type a request body may have, the preferred first. */
  List<String> requestTypes() {
    return List.copyOf(decoders.keySet());
  }

  /** The decoder of a request type; null where this contract's requests cannot come in it. */
  BodyDecoder decoder(String type) {
    return decoders.get(type);
  }

  /** Why a type this server knows cannot carry a request for this contract; null where it can or is unknown. */
  String whyNot(String type) {
    return unfit.get(type);
  }

  /** The JSON forms a JSON request (or JSON Lines line) may take for this contract. */
  List<JsonForm> jsonForms() {
    return reader.forms().stream().filter(form -> Admission.admits(contract, form)).toList();
  }

  /** Every type an answer may take, whatever the request's type. */
  List<String> answerTypes() {
    return requestTypes().stream().flatMap(type -> answerTypes(type).stream()).distinct().toList();
  }

  /**
   * The types an answer to a request of the given type may take, the default (for a missing Accept) first: a JSON
   * Lines body is answered in JSON Lines; a CSV body also in CSV, and in a MULTI_RECORD job only line by line (CSV
   * first, as SageMaker's own containers answer CSV records).
   */
  List<String> answerTypes(String requestType) {
    if (MediaTypes.JSON_LINES.equals(requestType)) {
      return List.of(MediaTypes.JSON_LINES);
    }
    if (!MediaTypes.CSV.equals(requestType)) {
      return List.copyOf(encoders.keySet());
    }
    if (multiRecord) {
      return List.of(MediaTypes.CSV, MediaTypes.JSON_LINES);
    }
    List<String> types = new ArrayList<>(encoders.keySet());
    types.add(MediaTypes.CSV);
    return List.copyOf(types);
  }

  /** Encodes the outputs of a decoded body's requests, in order, in the answer type negotiated for it. */
  byte[] encode(String answerType, DecodedBody decoded, List<Map<String, Tensor>> outputs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(decoded.parts().size() > 1 ? 8192 : 1024);
    if (MediaTypes.CSV.equals(answerType)) {
      outputs.forEach(requestOutputs -> csvWriter.writeRows(requestOutputs.values(), out));
    } else if (MediaTypes.JSON_LINES.equals(answerType) && !decoded.lines()) {
      // A CSV body's records: a JSON line per row, its outputs without the batch axis.
      for (Map<String, Tensor> requestOutputs : outputs) {
        long rows = requestOutputs.values().iterator().next().dim(0);
        for (int row = 0; row < rows; row++) {
          Map<String, Tensor> item = new LinkedHashMap<>();
          for (Map.Entry<String, Tensor> output : requestOutputs.entrySet()) {
            item.put(output.getKey(), output.getValue().rows(row, row + 1).withoutFirstAxis());
          }
          writer.write(item, out);
          out.write('\n');
        }
      }
    } else if (decoded.lines()) {
      AnswerEncoder json = encoders.get(MediaTypes.JSON);
      for (int i = 0; i < outputs.size(); i++) {
        json.encode(decoded.parts().get(i).request(), outputs.get(i), out);
        out.write('\n');
      }
    } else {
      encoders.get(answerType).encode(decoded.parts().get(0).request(), outputs.get(0), out);
    }
    return out.toByteArray();
  }

  /** Why CSV cannot carry a request for this contract; null where it can. */
  static String whyNoCsv(ModelContract contract) {
    if (contract.inputs().size() != 1) {
      return "CSV carries one input, and this model takes " + contract.inputs().size();
    }
    InputSpec onlyInput = contract.inputs().get(0);
    return contract.batch().isEmpty() || onlyInput.shape().rank() != 2 ? "CSV carries rows of a batch, one value per"
        + " column, and input '" + onlyInput.name() + "' has shape " + onlyInput.shape() : null;
  }

  private DecodedBody json(byte[] body) throws RequestRefused {
    return DecodedBody.single(readJson(reader, body, 0, body.length, "", maxRequestBytes));
  }

  /**
   * One JSON request of a body (the whole body, or one line of JSON Lines), its failures refused as problems.
   *
   * @param where its place in the body, prefixed to its problems: empty, or e.g. {@code "line 3: "}
   */
  static RequestBody readJson(JsonTensorReader reader, byte[] body, int offset, int length, String where,
      long maxRequestBytes) throws RequestRefused {
    try {
      return reader.readRequest(body, offset, length);
    } catch (IOException e) {
      throw Refusals.whileReading(e, null, maxRequestBytes);
    } catch (TensorFormatException e) {
      throw Refusals.malformed(e, where);
    } catch (ContractViolation e) {
      throw Refusals.violation(e, where, Envelope.NAMED); // decoding's pointers are already the body's
    }
  }

  /**
   * A CSV body of records: its rows in requests of up to the batch maximum (and at most
   * {@link InferenceQueue#MAX_BATCH_VALUES} values) each, in order; a problem names the request's lines.
   */
  private DecodedBody records(String input, CsvTensorReader csv, byte[] body) throws RequestRefused {
    Tensor rows = named(() -> Map.of(input, csv.read(body, 0, body.length))).parts().get(0).request().tensors()
        .get(input);
    long batchMax = contract.batch().map(spec -> contract.dim(spec.dim()).max()).orElse(1L);
    int perRequest = (int) Math.max(1, Math.min(batchMax, InferenceQueue.MAX_BATCH_VALUES / Math.max(1,
        rows.dim(1))));
    int count = (int) rows.dim(0);
    List<DecodedBody.Part> parts = new ArrayList<>(count / perRequest + 1);
    for (int from = 0; from < count; from += perRequest) {
      int to = Math.min(count, from + perRequest);
      parts.add(new DecodedBody.Part(new RequestBody(Map.of(input, rows.rows(from, to)), Envelope.rowsFrom(from)),
          "CSV rows " + (from + 1) + " to " + to + " (a request of their own): "));
    }
    return new DecodedBody(parts, false);
  }

  /** A body of named arrays in a binary or tabular format. */
  private DecodedBody named(TensorSource source) throws RequestRefused {
    try {
      return DecodedBody.single(RequestBody.named(source.read()));
    } catch (TensorFormatException e) {
      throw Refusals.malformed(e, "");
    } catch (ContractViolation e) {
      throw Refusals.violation(e, "", Envelope.NAMED);
    } catch (Npz.TooLarge e) {
      throw new RequestRefused(Refusals.tooLarge(maxRequestBytes, "more bytes, unpacked,"));
    }
  }

  @FunctionalInterface
  private interface TensorSource {
    Map<String, Tensor> read() throws TensorFormatException, ContractViolation, Npz.TooLarge;
  }
}
