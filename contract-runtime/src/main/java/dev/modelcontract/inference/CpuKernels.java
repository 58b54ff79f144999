package dev.modelcontract.inference;

import static dev.modelcontract.hosting.EnvironmentVariable.OMP_NUM_THREADS;
import static dev.modelcontract.hosting.EnvironmentVariable.ONEDNN_MAX_CPU_ISA;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.modelcontract.hosting.EnvironmentVariable;
import dev.modelcontract.hosting.SageMakerHosting;
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
 * AVX-512 hosts its {@code rnn brgemm:avx512_core} kernel gives wrong results for some models where the same host's
 * AVX2 kernel is right, and right results twice as fast for others (the figures: docs/benchmarks.md). So oneDNN is
 * capped at AVX2 wherever this product runs libtorch (the Maven goals, the tests, multi-model endpoints), and a
 * serving image with one model starts capped too ({@link Use#CHECKED_SERVING}, {@link Basis#CHECKING}) while it
 * checks, on the host it landed on, whether the uncapped kernels give the capped kernels' numbers for its model: it
 * either stays capped ({@link #settle}, {@link Basis#DIFFERED}) or hands its port to itself uncapped, which starts
 * with the check's findings in {@link #CHECKED_VARIABLE} ({@link Basis#CHECKED}). A user who has checked their
 * hosts names the cap with oneDNN's own variable, {@code ONEDNN_MAX_CPU_ISA} (for example {@code ALL}); the image's
 * start-up replay of the golden pairs still guards those numbers.
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

  /** The cap applied unless the environment names one or a check lifts it. */
  public static final String DEFAULT_ISA = "AVX2";
  /** oneDNN's name for no cap. */
  public static final String UNCAPPED_ISA = "ALL";
  /** DJL's setting for libtorch's intra-op threads, which this class applies to every thread. */
  public static final String DJL_THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
  /** {@code MODEL_CONTRACT_KERNELS}' value that keeps the cap without a check. */
  public static final String CAPPED_MODE = "capped";
  /** {@code MODEL_CONTRACT_KERNELS}' default: a serving image checks the uncapped kernels on its host. */
  public static final String CHECKED_MODE = "checked";
  /**
   * Where a serving process whose check kept the uncapped kernels leaves what it compared for the uncapped process
   * that takes its port over (set by the server for itself).
   */
  public static final String CHECKED_VARIABLE = EnvironmentVariable.MODEL_CONTRACT_KERNELS_CHECKED.name();
  /**
   * The least memory the image must be sized for to check its kernels: the check's uncapped process holds libtorch
   * and the model beside the server's (measured: up to 234 MiB for a 3 MB model).
   */
  public static final long CHECK_MEMORY_MIB = 1024;
  /** CPU flags of instruction sets past AVX2 for which oneDNN has kernels. */
  private static final List<String> WIDER_THAN_AVX2 = List.of("avx512", "avx_vnni", "amx");

  /**
   * A test's way to force a disagreement on any host: a JVM system property whose value (a relative difference) the
   * check adds to every uncapped output before it compares; it also makes a host without wider kernels check.
   */
  public static final String INJECTED_DIFFERENCE_PROPERTY = "modelcontract.kernels.injectedDifference";
  /**
   * A test's way to force an agreement on any host: a JVM system property naming the cap the check tries in place of
   * {@link #UNCAPPED_ISA} (and the process that takes over runs with); it also makes a host without wider kernels
   * check.
   */
  public static final String TRIED_ISA_PROPERTY = "modelcontract.kernels.triedIsa";

  private static Configuration applied;

  private CpuKernels() {}

  /** Who runs libtorch, which decides whether its kernels may be checked rather than capped. */
  public enum Use {
    /** The Maven goals, the tests, the tools: capped unless the environment names a cap. */
    TOOLING,
    /** A serving image with one model, which checks the uncapped kernels on its host unless told otherwise. */
    CHECKED_SERVING,
    /** A multi-model endpoint: models come and go in a process whose kernels are fixed at its start. */
    MULTI_MODEL
  }

  /** Why the process runs the kernels it runs; the name is the {@code basis} label on /metrics. */
  public enum Basis {
    /** Capped: the default where nothing checks the model. */
    DEFAULT("default"),
    /** Capped: a multi-model endpoint, whose models are not known at start. */
    MULTI_MODEL("multi-model"),
    /** Capped: {@code MODEL_CONTRACT_KERNELS=capped}. */
    CAPPED_BY_SETTING("capped-by-setting"),
    /** As {@code ONEDNN_MAX_CPU_ISA} names them. */
    ENVIRONMENT("environment"),
    /** Capped: the container's memory leaves no room for the check's second process. */
    LITTLE_MEMORY("little-memory"),
    /** Capped: the CPU has no oneDNN kernels past the cap, so lifting it would change nothing. */
    NO_WIDER_KERNELS("no-wider-kernels"),
    /** Capped while the check says whether the uncapped kernels may serve. */
    CHECKING("checking"),
    /** Uncapped: they gave the capped kernels' numbers on everything the check tried. */
    CHECKED("checked"),
    /** Capped: the uncapped kernels' numbers differed on this host, or the check could not tell. */
    DIFFERED("differed"),
    /** Capped: the check kept the uncapped kernels, but the process could not hand its port to them. */
    NOT_SWITCHED("not-switched");

    private final String label;

    Basis(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** Whether the process runs oneDNN's widest kernels. */
    boolean uncapped() {
      return this == CHECKED;
    }
  }

  /**
   * What the process runs with.
   *
   * @param cpu the CPU's model name, family and model, as the kernel reports them
   * @param vectorExtensions the CPU's AVX2 and AVX-512 feature flags
   * @param onednnMaxIsa the oneDNN cap in force
   * @param basis why
   * @param reason the why in words, for the start log
   * @param threadsPerForward the OpenMP team size of each thread that runs the model
   */
  public record Configuration(String cpu, List<String> vectorExtensions, String onednnMaxIsa, Basis basis,
      String reason, String threadsPerForward) {

    public Configuration {
      vectorExtensions = List.copyOf(vectorExtensions);
    }

    /** Whether the environment named the cap. */
    public boolean chosenByUser() {
      return basis == Basis.ENVIRONMENT;
    }

    /** Whether oneDNN runs its widest kernels here. */
    public boolean uncapped() {
      return basis.uncapped();
    }

    /** One line for a start-up log. */
    public String describe() {
      String extensions = vectorExtensions.isEmpty() ? "no AVX2 or AVX-512" : String.join(" ", vectorExtensions);
      String kernels = uncapped() || chosenByUser()
          ? "oneDNN kernels up to " + onednnMaxIsa
          : "oneDNN kernels capped at " + onednnMaxIsa;
      return "CPU " + cpu + " [" + extensions + "]; " + kernels + " (" + reason + "); " + threadsPerForward
          + " OpenMP thread(s) per forward pass";
    }

    Configuration settled(Basis settled, String why) {
      return new Configuration(cpu, vectorExtensions, onednnMaxIsa, settled, why, threadsPerForward);
    }
  }

  /** Applies the kernels of {@link Use#TOOLING}: see {@link #apply(Use)}. */
  public static Configuration apply() {
    return apply(Use.TOOLING);
  }

  /**
   * Sets the cap (or lifts it for a check) and the OpenMP team size, once per process. Call before libtorch loads;
   * later calls return what the first one applied (as settled since).
   */
  public static synchronized Configuration apply(Use use) {
    if (applied == null) {
      // The C environment, where oneDNN looks: a variable set there earlier in this process counts too.
      Configuration chosen = choose(LibC.INSTANCE::getenv, System.getProperty(DJL_THREADS_PROPERTY), CpuInfo.read(),
          use, SageMakerHosting.sizedMemoryMib());
      if (!chosen.chosenByUser()) {
        LibC.INSTANCE.setenv(ONEDNN_MAX_CPU_ISA.name(), chosen.onednnMaxIsa(), 1);
      }
      LibC.INSTANCE.setenv(OMP_NUM_THREADS.name(), chosen.threadsPerForward(), 1);
      applied = chosen;
    }
    return applied;
  }

  /** What the process runs with, once applied. */
  public static synchronized Optional<Configuration> current() {
    return Optional.ofNullable(applied);
  }

  /**
   * Records that a process {@link Basis#CHECKING} stays capped, and why: its uncapped kernels differed
   * ({@link Basis#DIFFERED}), or it could not hand its port to them ({@link Basis#NOT_SWITCHED}). A check that keeps
   * the uncapped kernels settles nothing here: the process that takes over starts {@link Basis#CHECKED}.
   */
  public static synchronized Configuration settle(Basis capped, String why) {
    if (applied == null || applied.basis() != Basis.CHECKING) {
      throw new IllegalStateException("no kernel check is pending: " + (applied == null ? "nothing applied"
          : applied.describe()));
    }
    if (capped.uncapped() || capped == Basis.CHECKING) {
      throw new IllegalArgumentException(capped + " is not a way to stay capped");
    }
    applied = applied.settled(capped, why);
    return applied;
  }

  /** The cap the check tries and an agreeing check switches to: {@link #UNCAPPED_ISA} but in tests. */
  public static String triedIsa() {
    String tried = System.getProperty(TRIED_ISA_PROPERTY);
    return tried == null || tried.isBlank() ? UNCAPPED_ISA : tried.strip().toUpperCase(Locale.ROOT);
  }

  /** The relative difference a test injects into the check ({@link #INJECTED_DIFFERENCE_PROPERTY}), else 0. */
  public static double injectedDifference() {
    String value = System.getProperty(INJECTED_DIFFERENCE_PROPERTY);
    try {
      return value == null || value.isBlank() ? 0 : Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(INJECTED_DIFFERENCE_PROPERTY + " must be a number, not '" + value + "'", e);
    }
  }

  /**
   * The configuration for an environment, a CPU and a use, without applying it.
   *
   * @param djlThreads DJL's {@code ai.djl.pytorch.num_threads}, or null
   */
  static Configuration choose(UnaryOperator<String> environment, String djlThreads, CpuInfo cpu, Use use) {
    return choose(environment, djlThreads, cpu, use, 0);
  }

  /**
   * As {@link #choose(UnaryOperator, String, CpuInfo, Use)}, for a process sized for some memory.
   *
   * @param memoryMib the memory the image's entrypoint sized the JVM for, in MiB; 0 where unknown (outside an image)
   */
  static Configuration choose(UnaryOperator<String> environment, String djlThreads, CpuInfo cpu, Use use,
      long memoryMib) {
    String threads = environment.apply(OMP_NUM_THREADS.name());
    if (threads == null || threads.isBlank()) {
      threads = djlThreads == null || djlThreads.isBlank() ? "1" : djlThreads.strip();
    }
    threads = threads.strip();
    String named = environment.apply(ONEDNN_MAX_CPU_ISA.name());
    String checked = environment.apply(CHECKED_VARIABLE);
    String mode = environment.apply(EnvironmentVariable.MODEL_CONTRACT_KERNELS.name());
    String lift = " (set " + ONEDNN_MAX_CPU_ISA + "=" + UNCAPPED_ISA + " to lift it)";
    boolean isaNamed = named != null && !named.isBlank();
    if (checked != null && !checked.isBlank()) {
      // the process that took the port over: the cap its predecessor checked is in ONEDNN_MAX_CPU_ISA
      return new Configuration(cpu.description(), cpu.vectorExtensions(),
          isaNamed ? named.strip().toUpperCase(Locale.ROOT) : UNCAPPED_ISA, Basis.CHECKED, checked.strip(), threads);
    }
    if (isaNamed) {
      return new Configuration(cpu.description(), cpu.vectorExtensions(), named.strip().toUpperCase(Locale.ROOT),
          Basis.ENVIRONMENT, ONEDNN_MAX_CPU_ISA + " set in the environment", threads);
    }
    Basis basis;
    String reason;
    if (use == Use.MULTI_MODEL) {
      basis = Basis.MULTI_MODEL;
      reason = "a multi-model endpoint: its models come and go in one process whose kernels are fixed at its start"
          + lift;
    } else if (use == Use.TOOLING) {
      basis = Basis.DEFAULT;
      reason = "the default; set " + ONEDNN_MAX_CPU_ISA + "=" + UNCAPPED_ISA + " to lift it";
    } else if (CAPPED_MODE.equalsIgnoreCase(mode == null ? "" : mode.strip())) {
      basis = Basis.CAPPED_BY_SETTING;
      reason = EnvironmentVariable.MODEL_CONTRACT_KERNELS + "=" + CAPPED_MODE;
    } else if (!cpu.hasWiderKernels() && injectedDifference() == 0 && System.getProperty(TRIED_ISA_PROPERTY) == null) {
      basis = Basis.NO_WIDER_KERNELS;
      reason = "this CPU has no oneDNN kernels past AVX2: lifting the cap would change nothing";
    } else if (memoryMib > 0 && memoryMib < CHECK_MEMORY_MIB) {
      basis = Basis.LITTLE_MEMORY;
      reason = "the container's " + memoryMib + " MiB leave no room for the check's second, uncapped process (it"
          + " needs " + CHECK_MEMORY_MIB + " MiB)";
    } else {
      basis = Basis.CHECKING;
      reason = "while the check on this host says whether the uncapped kernels give the same numbers";
    }
    return new Configuration(cpu.description(), cpu.vectorExtensions(), DEFAULT_ISA, basis, reason, threads);
  }

  /** The parts of {@code /proc/cpuinfo} that decide which kernels run. */
  record CpuInfo(String description, List<String> vectorExtensions, List<String> allFlags) {

    static final Path PROC_CPUINFO = Path.of("/proc/cpuinfo");

    static CpuInfo read() {
      try {
        return parse(Files.readString(PROC_CPUINFO));
      } catch (IOException | RuntimeException e) {
        return new CpuInfo(System.getProperty("os.arch") + " (no /proc/cpuinfo)", List.of(), List.of());
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
      return new CpuInfo(name + family + model, new ArrayList<>(extensions), flags(entry));
    }

    /** Whether oneDNN has kernels for an instruction set of this CPU past AVX2. */
    boolean hasWiderKernels() {
      return allFlags.stream().anyMatch(flag -> WIDER_THAN_AVX2.stream().anyMatch(flag::startsWith));
    }

    private static List<String> flags(String entry) {
      return List.of(field(entry, "flags").orElse("").strip().split("\\s+"));
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
