package dev.modelcontract.testkit;

import dev.modelcontract.contract.ModelContract;
import dev.modelcontract.server.MediaTypes;
import dev.modelcontract.tensors.JsonTensorWriter;
import dev.modelcontract.tensors.Npy;
import dev.modelcontract.tensors.Npz;
import dev.modelcontract.tensors.Tensor;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The body formats a request to /invocations can take, each encoding named tensors as a client in that format
 * would: the SageMaker SDK's serializers and numpy's files.
 */
public enum RequestFormat {
  /** {@code {"input_1": [[...]], ...}}. */
  JSON(MediaTypes.JSON),
  /** One JSON request per line, answered line for line (batch transform's {@code SplitType=Line}). */
  JSON_LINES(MediaTypes.JSON_LINES),
  /** {@code np.savez}: one array per input name. */
  NPZ(MediaTypes.NPZ),
  /** {@code np.save} of the one input, where the contract has one. */
  NPY(MediaTypes.NPY),
  /** Rows of the one input, one value per column, where it is a batch of rows. */
  CSV(MediaTypes.CSV);

  private final String mediaType;

  RequestFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /** Whether a request for this contract can be sent in this format (the server's own rule). */
  public boolean carries(ModelContract contract) {
    return MediaTypes.requestTypes(contract).contains(mediaType);
  }

  /**
   * The body of a request.
   *
   * @throws IllegalArgumentException where the format cannot carry the request (see {@link #carries})
   */
  public byte[] encode(Map<String, ? extends Tensor> request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    switch (this) {
      case JSON -> new JsonTensorWriter().write(request, out);
      case JSON_LINES -> {
        new JsonTensorWriter().write(request, out);
        out.write('\n');
      }
      case NPZ -> Npz.write(request, out);
      case NPY -> Npy.write(only(request), out);
      case CSV -> out.writeBytes(csv(only(request)));
    }
    return out.toByteArray();
  }

  private Tensor only(Map<String, ? extends Tensor> request) {
    if (request.size() != 1) {
      throw new IllegalArgumentException(this + " carries one input, and the request has " + request.keySet());
    }
    return request.values().iterator().next();
  }

  private static byte[] csv(Tensor tensor) {
    if (tensor.rank() != 2) {
      throw new IllegalArgumentException("CSV carries rows of values, and the tensor has rank " + tensor.rank());
    }
    int columns = (int) tensor.dim(1);
    StringBuilder text = new StringBuilder();
    Object values = tensor.array();
    for (int index = 0; index < tensor.size(); index++) {
      text.append(index % columns == 0 ? (index == 0 ? "" : "\n") : ",").append(Array.get(values, index));
    }
    return text.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }
}
