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
import dev.modelcontract.contract.DType;
import dev.modelcontract.tensors.BooleanTensor;
import dev.modelcontract.tensors.DoubleTensor;
import dev.modelcontract.tensors.FloatTensor;
import dev.modelcontract.tensors.LongTensor;
import dev.modelcontract.tensors.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
   * Starts the PyTorch engine (libtorch loaded and set up), offline, with the process's {@link CpuKernels} applied
   * first, ahead of any model: a multi-model endpoint does so at start, so that its first load pays for its model
   * alone (the first example loaded took 724 ms before, 294 ms after; bench/mme.sh).
   *
   * @throws ai.djl.engine.EngineException when libtorch cannot be loaded
   */
  public static void startEngine() {
    OfflineDjl.enforce();
    CpuKernels.apply();
    ai.djl.engine.Engine.getEngine("PyTorch");
  }

  /**
   * Loads the file with the PyTorch engine, offline, with the process's {@link CpuKernels} applied first.
   *
   * @throws IOException when the file is missing or is not a TorchScript model
   */
  public static TorchScriptModel load(Path file) throws IOException {
    OfflineDjl.enforce();
    CpuKernels.apply();
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

  /**
   * Runs {@code forward}: each {@link ModelArgument.Single} is one positional tensor argument of its dtype; each
   * {@link ModelArgument.Dict} one {@code Dict[str, Tensor]} argument. Returns the returned tensor, the tuple's
   * tensors in order, or the dict's tensors with their keys.
   */
  public List<ModelOutput> forward(List<ModelArgument> arguments) throws ModelFailure {
    try (NDManager scope = model.getNDManager().newSubManager()) {
      InputStaging staging = InputStaging.forPass(stagedBytes(arguments));
      NDList inputs = new NDList(arguments.size());
      for (int a = 0; a < arguments.size(); a++) {
        ModelArgument argument = arguments.get(a);
        if (argument instanceof ModelArgument.Single single) {
          inputs.add(create(scope, staging, single));
        } else {
          // DJL turns arrays named "<argument>.<key>" into one Dict[str, Tensor] argument at that position.
          for (Map.Entry<String, ModelArgument.Single> entry : ((ModelArgument.Dict) argument).entries().entrySet()) {
            NDArray array = create(scope, staging, entry.getValue());
            array.setName("arg" + a + "." + entry.getKey());
            inputs.add(array);
          }
        }
      }
      NDList returned;
      try {
        returned = block.forward(new ParameterStore(scope, false), inputs, false);
      } catch (EngineException e) {
        throw new ModelFailure("the model failed in forward: " + errorLine(e.getMessage()), e);
      }
      List<ModelOutput> outputs = new ArrayList<>(returned.size());
      for (NDArray array : returned) {
        outputs.add(new ModelOutput(array.getName(), contractName(array.getDataType()), toTensor(array)));
      }
      return outputs;
    }
  }

  /** The staging memory the pass's arguments of the staged dtypes take. */
  private static long stagedBytes(List<ModelArgument> arguments) {
    long bytes = 0;
    for (ModelArgument argument : arguments) {
      if (argument instanceof ModelArgument.Single single) {
        bytes += stagedBytes(single);
      } else {
        for (ModelArgument.Single entry : ((ModelArgument.Dict) argument).entries().values()) {
          bytes += stagedBytes(entry);
        }
      }
    }
    return bytes;
  }

  /** float32, float64 and int64 (nearly every contract's inputs) go through the thread's {@link InputStaging}. */
  private static long stagedBytes(ModelArgument.Single argument) {
    return switch (argument.dtype()) {
      case FLOAT32 -> InputStaging.footprint(argument.tensor().size(), Float.BYTES);
      case FLOAT64, INT64 -> InputStaging.footprint(argument.tensor().size(), Long.BYTES);
      default -> 0;
    };
  }

  private static NDArray create(NDManager scope, InputStaging staging, ModelArgument.Single argument) {
    Tensor tensor = argument.tensor();
    Shape shape = new Shape(tensor.shape());
    switch (argument.dtype()) {
      case FLOAT32: {
        float[] values = ((FloatTensor) tensor).values();
        ByteBuffer staged = staging.next(values.length * Float.BYTES);
        staged.asFloatBuffer().put(values);
        return scope.create(staged, shape, DataType.FLOAT32);
      }
      case FLOAT16:
        return scope.create(((FloatTensor) tensor).values(), shape).toType(DataType.FLOAT16, false);
      case FLOAT64: {
        double[] values = ((DoubleTensor) tensor).values();
        ByteBuffer staged = staging.next(values.length * Double.BYTES);
        staged.asDoubleBuffer().put(values);
        return scope.create(staged, shape, DataType.FLOAT64);
      }
      case INT64: {
        long[] values = ((LongTensor) tensor).values();
        ByteBuffer staged = staging.next(values.length * Long.BYTES);
        staged.asLongBuffer().put(values);
        return scope.create(staged, shape, DataType.INT64);
      }
      case INT32:
        return scope.create(Arrays.stream(((LongTensor) tensor).values()).mapToInt(Math::toIntExact).toArray(), shape);
      case INT8:
        return scope.create(bytes((LongTensor) tensor), shape);
      case UINT8:
        return scope.create(ByteBuffer.wrap(bytes((LongTensor) tensor)), shape, DataType.UINT8);
      case BOOL:
        return scope.create(((BooleanTensor) tensor).values(), shape);
      default:
        // bfloat16: DJL 0.36 aborts the JVM creating one; ContractChecks refuses it in every contract.
        throw new IllegalArgumentException("no NDArray for " + argument.dtype());
    }
  }

  private static byte[] bytes(LongTensor tensor) {
    long[] values = tensor.values();
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i]; // range-checked when decoded; uint8 255 is the byte 0xFF
    }
    return bytes;
  }

  private static Tensor toTensor(NDArray array) {
    long[] shape = array.getShape().getShape();
    switch (array.getDataType()) {
      case FLOAT32:
        return new FloatTensor(shape, array.toFloatArray());
      case FLOAT16:
        return new FloatTensor(shape, array.toType(DataType.FLOAT32, false).toFloatArray());
      case FLOAT64:
        return new DoubleTensor(shape, array.toDoubleArray());
      case INT64:
        return new LongTensor(shape, array.toLongArray());
      case INT32:
        return new LongTensor(shape, Arrays.stream(array.toIntArray()).asLongStream().toArray());
      case INT8:
        return new LongTensor(shape, widen(array.toByteArray(), false));
      case UINT8:
        return new LongTensor(shape, widen(array.toByteArray(), true));
      case BOOLEAN:
        return new BooleanTensor(shape, array.toBooleanArray());
      default:
        return new DoubleTensor(shape, array.toType(DataType.FLOAT64, false).toDoubleArray());
    }
  }

  private static long[] widen(byte[] bytes, boolean unsigned) {
    long[] values = new long[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      values[i] = unsigned ? Byte.toUnsignedLong(bytes[i]) : bytes[i];
    }
    return values;
  }

  /** DJL's name for a data type in contract spelling. */
  static String contractName(DataType type) {
    return type == DataType.BOOLEAN ? DType.BOOL.contractName() : type.toString().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    model.close();
  }

  /**
   * The line of an engine error that says what went wrong: for a TorchScript traceback ("The following operation
   * failed in the TorchScript interpreter." then the code), its last line, the exception raised (e.g.
   * {@code RuntimeError: index out of range in self}); otherwise the first line.
   */
  static String errorLine(String message) {
    if (message == null || !message.startsWith("The following operation failed in the TorchScript interpreter")) {
      return firstLine(message);
    }
    String[] lines = message.strip().split("\n");
    return lines[lines.length - 1].strip();
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
