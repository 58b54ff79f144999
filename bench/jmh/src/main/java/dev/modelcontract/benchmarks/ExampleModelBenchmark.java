package dev.modelcontract.benchmarks;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.modelcontract.hosting.EnvironmentVariable;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every benchmark of an example model shares (JMH's annotations are inherited): average time in µs, one
 * fork with DJL offline and one libtorch thread, as the serving image runs, 3 × 2 s warm-up, 5 × 2 s measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
    "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class ExampleModelBenchmark {

  /** examples/lstm-two-inputs: its model directory and golden pairs. */
  protected static Path example() {
    return example("lstm-two-inputs");
  }

  /** The example model repo of that name under examples/. */
  protected static Path example(String name) {
    return Path.of(System.getProperty("examples.dir", "examples"), name);
  }

  /**
   * Caps oneDNN's kernels for this JVM (AVX2, or ALL for none): call before libtorch loads, since oneDNN reads its
   * variable from the C environment once per process.
   */
  protected static void capOnednn(String maxIsa) {
    LibC.INSTANCE.setenv(EnvironmentVariable.ONEDNN_MAX_CPU_ISA.name(), maxIsa, 1);
  }

  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int setenv(String name, String value, int overwrite);
  }
}
