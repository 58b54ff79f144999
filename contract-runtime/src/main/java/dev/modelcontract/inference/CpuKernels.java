package dev.modelcontract.inference;

import static dev.modelcontract.hosting.EnvironmentVariable.OMP_NUM_THREADS;
import static dev.modelcontract.hosting.EnvironmentVariable.ONEDNN_MAX_CPU_ISA;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * How libtorch uses the CPU — which kernels, how many threads per forward pass — fixed for the process before
 * libtorch first runs.
 *
 * <p>libtorch 2.7.1 runs {@code nn.LSTM} through oneDNN, which picks its kernel by the CPU's instruction set. On some
 * AVX-512 hosts its {@code rnn brgemm:avx512_core} kernel gives wrong results where the same host's AVX2 kernel is
 * right (the figures: docs/benchmarks.md). A serving fleet mixes CPU generations, so by default oneDNN is capped at
 * AVX2 everywhere this product runs libtorch: the image, the Maven goals, the tests.
 * A user who has checked their hosts lifts the cap with oneDNN's own variable, {@code ONEDNN_MAX_CPU_ISA} (for
 * example {@code ALL}); the image's start-up replay of the golden pairs still guards those numbers.
 *
 * <p>Threads: every Java thread that calls into libtorch gets an OpenMP team of its own, sized by
 * {@code OMP_NUM_THREADS} or else by the core count; DJL's {@code ai.djl.pytorch.num_threads} reaches only the thread
 * that loads the engine. So the team size is set for the whole process through {@code OMP_NUM_THREADS}: the value of
 * {@code ai.djl.pytorch.num_threads} (the image's {@code MODEL_CONTRACT_TORCH_THREADS}), else 1: with a request in
 * flight on every core, more threads per forward pass of a small sequence model only compete for the cores.
 *
 * <p>oneDNN and OpenMP read their variables once, when libtorch first uses them, from the C environment; the JVM
 * cannot change its own environment, so the values are written there through libc's {@code setenv}.
 */
public final class CpuKernels {

  /** The cap applied unless the environment names one. */
  public static final String DEFAULT_ISA = "AVX2";
  /** DJL's setting for libtorch's intra-op threads, which this class applies to every thread. */
  public static final String DJL_THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

  private static Configuration applied;

  private CpuKernels() {}

  /**
   * What the process runs with.
   *
   * @param cpu the CPU's model name, family and model, as the kernel reports them
   * @param vectorExtensions the CPU's AVX2 and AVX-512 feature flags
   * @param onednnMaxIsa the oneDNN cap in force
   * @param chosenByUser whether the environment named the cap (else the default applies)
   * @param threadsPerForward the OpenMP team size of each thread that runs the model
   */
  public record Configuration(String cpu, List<String> vectorExtensions, String onednnMaxIsa, boolean chosenByUser,
      String threadsPerForward) {

    public Configuration {
      vectorExtensions = List.copyOf(vectorExtensions);
    }

    /** One line for a start-up log. */
    public String describe() {
      String extensions = vectorExtensions.isEmpty() ? "no AVX2 or AVX-512" : String.join(" ", vectorExtensions);
      String cap = chosenByUser
          ? "oneDNN kernels up to " + onednnMaxIsa + " (" + ONEDNN_MAX_CPU_ISA + " set in the environment)"
          : "oneDNN kernels capped at " + onednnMaxIsa + " (the default; set " + ONEDNN_MAX_CPU_ISA
              + "=ALL to lift it)";
      return "CPU " + cpu + " [" + extensions + "]; " + cap + "; " + threadsPerForward
          + " OpenMP thread(s) per forward pass";
    }
  }

  /**
   * Sets the default cap unless the environment names one, once per process. Call before libtorch loads; later
   * calls return the first result.
   */
  public static synchronized Configuration apply() {
    if (applied == null) {
      // The C environment, where oneDNN looks: a variable set there earlier in this process counts too.
      Configuration chosen = choose(LibC.INSTANCE::getenv, System.getProperty(DJL_THREADS_PROPERTY), CpuInfo.read());
      if (!chosen.chosenByUser()) {
        LibC.INSTANCE.setenv(ONEDNN_MAX_CPU_ISA.name(), chosen.onednnMaxIsa(), 1);
      }
      LibC.INSTANCE.setenv(OMP_NUM_THREADS.name(), chosen.threadsPerForward(), 1);
      applied = chosen;
    }
    return applied;
  }

  /**
   * The configuration for an environment and a CPU, without applying it.
   *
   * @param djlThreads DJL's {@code ai.djl.pytorch.num_threads}, or null
   */
  static Configuration choose(UnaryOperator<String> environment, String djlThreads, CpuInfo cpu) {
    String named = environment.apply(ONEDNN_MAX_CPU_ISA.name());
    boolean chosenByUser = named != null && !named.isBlank();
    String threads = environment.apply(OMP_NUM_THREADS.name());
    if (threads == null || threads.isBlank()) {
      threads = djlThreads == null || djlThreads.isBlank() ? "1" : djlThreads.strip();
    }
    return new Configuration(cpu.description(), cpu.vectorExtensions(),
        chosenByUser ? named.strip().toUpperCase(Locale.ROOT) : DEFAULT_ISA, chosenByUser, threads.strip());
  }

  /** The parts of {@code /proc/cpuinfo} that decide which kernels run. */
  record CpuInfo(String description, List<String> vectorExtensions) {

    static final Path PROC_CPUINFO = Path.of("/proc/cpuinfo");

    static CpuInfo read() {
      try {
        return parse(Files.readString(PROC_CPUINFO));
      } catch (IOException | RuntimeException e) {
        return new CpuInfo(System.getProperty("os.arch") + " (no /proc/cpuinfo)", List.of());
      }
    }

    /** The first processor's entry. */
    static CpuInfo parse(String cpuinfo) {
      String entry = cpuinfo.split("\n\\s*\n", 2)[0];
      String name = field(entry, "model name").orElse("unknown");
      String family = field(entry, "cpu family").map(value -> ", family " + value).orElse("");
      String model = field(entry, "model").map(value -> " model " + value).orElse("");
      TreeSet<String> extensions = new TreeSet<>();
      for (String flag : field(entry, "flags").orElse("").split("\\s+")) {
        if (flag.equals("avx2") || flag.startsWith("avx512")) {
          extensions.add(flag);
        }
      }
      return new CpuInfo(name + family + model, new ArrayList<>(extensions));
    }

    private static Optional<String> field(String entry, String key) {
      return Arrays.stream(entry.split("\n"))
          .filter(line -> line.contains(":") && line.substring(0, line.indexOf(':')).strip().equals(key))
          .map(line -> line.substring(line.indexOf(':') + 1).strip())
          .findFirst();
    }
  }

  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int setenv(String name, String value, int overwrite);

    String getenv(String name);
  }
}
