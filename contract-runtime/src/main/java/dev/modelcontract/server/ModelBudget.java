package dev.modelcontract.server;

import dev.modelcontract.hosting.EnvironmentVariable;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The native memory a multi-model endpoint's loaded models may take together. Each model is charged an estimate when
 * it loads and credited when it unloads; a load that would exceed the budget is refused (507), and SageMaker then
 * unloads other models and retries.
 *
 * <p>Public so that whoever starts an endpoint in process, or verifies a container's 507, sizes a budget with this
 * one {@link #estimate} rather than a copy of it: the testkit's multi-model suite sets a budget holding exactly the
 * models it loads.
 */
public final class ModelBudget {

  /**
   * What a loaded model costs beyond its weights: its inference threads, DJL's and libtorch's per-module state.
   * Measured once in process (RSS after GC, 40 copies loaded at one inference thread each, 2026-12-05): 2.5 MiB per
   * copy of the two-input LSTM (19 KB of TorchScript), 0.2 MiB per copy of house-prices; 4 MiB leaves room for a few
   * more inference threads.
   */
  public static final long PER_MODEL_OVERHEAD_BYTES = 4L << 20;

  private final long capacity;
  private final AtomicLong charged = new AtomicLong();

  /**
   * @param capacity the bytes the loaded models may take together
   * @throws IllegalArgumentException when it is not positive
   */
  public ModelBudget(long capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("the models' memory budget must be positive, not " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * {@code MODEL_CONTRACT_MODELS_MEMORY_BYTES} where set, else what the container's memory leaves beside the JVM's
   * heap and direct buffers (the JVM reads the cgroup limit as its total memory), at least 64 MiB.
   */
  static ModelBudget fromEnvironment(Map<String, String> environment) {
    String set = EnvironmentVariable.MODEL_CONTRACT_MODELS_MEMORY_BYTES.in(environment);
    if (set != null) {
      try {
        return new ModelBudget(Long.parseLong(set.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(EnvironmentVariable.MODEL_CONTRACT_MODELS_MEMORY_BYTES + " must be a"
            + " number of bytes, not '" + set + "'", e);
      }
    }
    long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    long left = total - Runtime.getRuntime().maxMemory() - PlatformDependent.maxDirectMemory();
    return new ModelBudget(Math.max(left, 64L << 20));
  }

  /**
   * What loading a model directory is charged: twice its files (weights read, then held by libtorch) plus the
   * per-model overhead.
   *
   * @throws IOException when the directory cannot be listed
   */
  public static long estimate(Path modelDirectory) throws IOException {
    long files = 0;
    try (Stream<Path> entries = Files.list(modelDirectory)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        if (Files.isRegularFile(entry)) {
          files += Files.size(entry);
        }
      }
    }
    return 2 * files + PER_MODEL_OVERHEAD_BYTES;
  }

  /** Charges {@code bytes} if they fit; false, charging nothing, if they do not. */
  boolean charge(long bytes) {
    long before;
    do {
      before = charged.get();
      if (before + bytes > capacity) {
        return false;
      }
    } while (!charged.compareAndSet(before, before + bytes));
    return true;
  }

  void credit(long bytes) {
    charged.addAndGet(-bytes);
  }

  public long capacity() {
    return capacity;
  }

  long charged() {
    return charged.get();
  }
}
