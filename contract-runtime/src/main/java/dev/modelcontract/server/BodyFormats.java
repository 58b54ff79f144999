package dev.modelcontract.server;

import dev.modelcontract.contract.InputSpec;
import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.inference.ContractModel;
import dev.modelcontract.tensors.CsvTensorReader;
import dev.modelcontract.tensors.ElementType;
import dev.modelcontract.tensors.JsonForm;
import dev.modelcontract.tensors.JsonTensorReader;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Npy;
import dev.modelcontract.tensors.Npz;
import dev.modelcontract.tensors.Tensor;
import dev.modelcontract.tensors.TensorFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The body formats /invocations reads and answers in, for one contract: which media types it takes (numpy's .npy
 * and CSV only where they can carry the request), how each is decoded into named tensors, which types an answer
 * may take, and how outputs are encoded in them.
 */
final class BodyFormats {

  private final ContractModel model;
  private final long maxRequestBytes;
  private final String modelName;
  private final Map<String, ElementType> types;
  /** The one input, where the contract has one: what an .npy body is. */
  private final InputSpec onlyInput;
  /** Why CSV cannot carry a request for this contract; null where it can. */
  private final String noCsv;
  private final List<String> requestTypes;
  private final JsonTensorWriter writer = new JsonTensorWriter();

  BodyFormats(ContractModel model, long maxRequestBytes) {
    this.model = model;
    this.maxRequestBytes = maxRequestBytes;
    ModelContract contract = model.contract();
    String file = contract.model().file();
    this.modelName = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
    this.types = model.requestReader().types();
    this.onlyInput = contract.inputs().size() == 1 ? contract.inputs().get(0) : null;
    this.noCsv = MediaTypes.whyNoCsv(contract);
    this.requestTypes = MediaTypes.requestTypes(contract);
  }

  ContractModel model() {
    return model;
  }

  /** Every media type a request body may have, the preferred first. */
  List<String> requestTypes() {
    return requestTypes;
  }

  /** Why a type this server knows cannot carry a request for this contract; null where it can or is unknown. */
  String whyNot(String type) {
    if (MediaTypes.NPY.equals(type) && onlyInput == null) {
      return "an .npy body carries one array, and this model takes " + model.contract().inputs().size()
          + " inputs; send application/x-npz (np.savez with one array per input name)";
    }
    return MediaTypes.CSV.equals(type) ? noCsv : null;
  }

  /** The types an answer to a request of the given type may take, the default (for a missing Accept) first. */
  List<String> answerTypes(String requestType) {
    if (MediaTypes.JSON_LINES.equals(requestType)) {
      return List.of(MediaTypes.JSON_LINES);
    }
    return model.contract().outputs().size() == 1 ? List.of(MediaTypes.JSON, MediaTypes.NPZ, MediaTypes.NPY)
        : List.of(MediaTypes.JSON, MediaTypes.NPZ);
  }

  /**
   * Decodes one body (not JSON Lines, which is a JSON body per line) into named tensors, by its type.
   *
   * @throws TensorFormatException when the body is not a well-formed request of its type
   * @throws Npz.TooLarge when an .npz body unpacks to more than the request limit
   * @throws IOException when a JSON body is not text in an encoding JSON allows
   */
  JsonTensorReader.Request decode(String type, byte[] body, int offset, int length)
      throws TensorFormatException, Npz.TooLarge, IOException {
    return switch (type) {
      case MediaTypes.NPY -> new JsonTensorReader.Request(JsonForm.NAMED, Map.of(onlyInput.name(),
          Npy.read(body, offset, length, onlyInput.name(), "/" + onlyInput.name(), types.get(onlyInput.name()))));
      case MediaTypes.NPZ -> new JsonTensorReader.Request(JsonForm.NAMED,
          Npz.read(body, offset, length, types, maxRequestBytes));
      case MediaTypes.CSV -> new JsonTensorReader.Request(JsonForm.NAMED, Map.of(onlyInput.name(),
          new CsvTensorReader(onlyInput.name(), types.get(onlyInput.name())).read(body, offset, length)));
      default -> model.requestReader().readRequest(body, offset, length);
    };
  }

  /** Encodes the outputs of one request in the answer type negotiated for it. */
  byte[] encode(String answerType, JsonForm form, String id, Map<String, Tensor> outputs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    encode(answerType, form, id, outputs, out);
    return out.toByteArray();
  }

  void encode(String answerType, JsonForm form, String id, Map<String, Tensor> outputs, ByteArrayOutputStream out) {
    switch (answerType) {
      case MediaTypes.NPZ -> Npz.write(outputs, out);
      case MediaTypes.NPY -> Npy.write(outputs.values().iterator().next(), out);
      default -> {
        if (form == JsonForm.OPEN_INFERENCE) {
          writer.writeOpenInference(modelName, id, outputs, out);
        } else {
          writer.write(form, outputs, out);
        }
      }
    }
  }
}
