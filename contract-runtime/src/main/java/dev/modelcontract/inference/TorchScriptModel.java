package dev.modelcontract.inference;

import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import dev.modelcontract.enforcement.ModelOutput;
import dev.modelcontract.tensors.FloatTensor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A TorchScript file loaded by DJL's PyTorch engine. {@link #forward} is safe to call from several threads:
 * each call works in its own native memory scope, released when it returns.
 */
public final class TorchScriptModel implements AutoCloseable {

  private final ZooModel<NDList, NDList> model;
  private final Block block;

  private TorchScriptModel(ZooModel<NDList, NDList> model) {
    this.model = model;
    this.block = model.getBlock();
  }

  /**
   * Loads the file with the PyTorch engine, offline.
   *
   * @throws IOException when the file is missing or is not a TorchScript model
   */
  public static TorchScriptModel load(Path file) throws IOException {
    OfflineDjl.enforce();
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optModelPath(file)
        .optEngine("PyTorch")
        .optTranslator(new NoopTranslator())
        .build();
    try {
      return new TorchScriptModel(criteria.loadModel());
    } catch (ModelNotFoundException | MalformedModelException | EngineException e) {
      throw new IOException(firstLine(e.getMessage()), e);
    }
  }

  /** Runs {@code forward} on float32 arguments and returns the tuple elements (or the single tensor) in order. */
  public List<ModelOutput> forward(List<FloatTensor> arguments) throws ModelFailure {
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDList inputs = new NDList(arguments.size());
      for (FloatTensor argument : arguments) {
        inputs.add(scope.create(FloatBuffer.wrap(argument.values()), new Shape(argument.shape())));
      }
      NDList returned;
      try {
        returned = block.forward(new ParameterStore(scope, false), inputs, false);
      } catch (EngineException e) {
        throw new ModelFailure("the model failed in forward: " + firstLine(e.getMessage()), e);
      }
      List<ModelOutput> outputs = new ArrayList<>(returned.size());
      for (NDArray array : returned) {
        DataType type = array.getDataType();
        float[] values = type == DataType.FLOAT32
            ? array.toFloatArray()
            : array.toType(DataType.FLOAT32, false).toFloatArray();
        outputs.add(new ModelOutput(type.toString().toLowerCase(Locale.ROOT),
            new FloatTensor(array.getShape().getShape(), values)));
      }
      return outputs;
    }
  }

  @Override
  public void close() {
    model.close();
  }

  static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline);
  }
}
