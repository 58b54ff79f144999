package dev.modelcontract.server;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.modelcontract.hosting.EnvironmentVariable;
import dev.modelcontract.inference.CpuKernels;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Replaces the serving process with itself running the kernels its {@link KernelCheck} kept, handing over the
 * listening socket: oneDNN reads its cap once per process, so a capped process cannot lift it in place. Once
 * {@link SageMakerServer#handOver} has stopped accepting and answered every request read, the process {@code execve}s
 * its own command line — same JVM options, same arguments — with the socket as its standard input (the way inetd
 * hands a socket to a server; the new JVM finds it through {@link System#inheritedChannel()}), the checked cap in
 * {@code ONEDNN_MAX_CPU_ISA} and what the check compared in {@link CpuKernels#CHECKED_VARIABLE}, which skips a second
 * check. Connections that arrive meanwhile wait in the socket's backlog until the new process, its model loaded and
 * its golden pairs replayed, accepts them: none is refused. The process keeps its id (the container's PID 1 stays
 * PID 1, so SageMaker's SIGTERM still reaches the server) and its standard output and error; every other file
 * descriptor is closed on the exec.
 */
final class KernelSwitch {

  private static final int F_SETFD = 2;
  private static final int FD_CLOEXEC = 1;
  private static final int STANDARD_INPUT = 0;
  private static final int SIG_SETMASK = 2;
  private static final int SIGSET_BYTES = 128;
  private static final int SHUT_RDWR = 2;
  private static final Path COMMAND_LINE = Path.of("/proc/self/cmdline");
  private static final Path EXECUTABLE = Path.of("/proc/self/exe");
  private static final Path FILE_DESCRIPTORS = Path.of("/proc/self/fd");
  private static final List<Path> TCP_TABLES = List.of(Path.of("/proc/self/net/tcp6"), Path.of("/proc/self/net/tcp"));
  /** The TCP state the kernel's tables give a listening socket. */
  private static final String LISTEN = "0A";

  private KernelSwitch() {}

  /**
   * Execs the process with the checked kernels and the listening socket; returns only where that failed, with why.
   *
   * @param listening the listening socket's file descriptor
   * @param isa the cap the check kept
   * @param checked what the check compared, for the new process's log and metrics
   */
  static String exec(int listening, String isa, String checked) {
    try {
      List<String> commandLine = commandLine();
      Map<String, String> environment = new TreeMap<>(System.getenv());
      environment.put(EnvironmentVariable.ONEDNN_MAX_CPU_ISA.name(), isa);
      environment.put(CpuKernels.CHECKED_VARIABLE, checked.replace('\0', ' '));
      String[] envp = environment.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
          .toArray(String[]::new);
      closeOnExec();
      // the calling thread's signal mask passes to the new program: the JVM blocks SIGQUIT (thread dumps) in it
      LibC.INSTANCE.sigprocmask(SIG_SETMASK, new byte[SIGSET_BYTES], null);
      if (LibC.INSTANCE.dup2(listening, STANDARD_INPUT) < 0) {
        return "dup2 failed with errno " + Native.getLastError();
      }
      System.out.flush();
      System.err.flush();
      LibC.INSTANCE.execve(EXECUTABLE.toString(), commandLine.toArray(String[]::new), envp);
      return "execve failed with errno " + Native.getLastError();
    } catch (IOException | RuntimeException | LinkageError e) {
      return e.toString();
    }
  }

  /**
   * The listening socket a process that took over from a checking one received as its standard input; empty in any
   * other process.
   */
  static Optional<ServerSocketChannel> inheritedListener() throws IOException {
    if (System.getenv(CpuKernels.CHECKED_VARIABLE) == null) {
      return Optional.empty();
    }
    Channel inherited = System.inheritedChannel();
    return inherited instanceof ServerSocketChannel listener ? Optional.of(listener) : Optional.empty();
  }

  /**
   * Stops a listening socket taken over ({@link #inheritedListener}) from listening, without closing it: new
   * connections are refused from then on, and any left in its backlog are reset. Closing it would do the same, but the
   * JDK then points standard output and error at /dev/null as well (inetd's way: there they were the socket), which
   * would silence the log.
   */
  static void stopListening(int port) throws IOException {
    int fd = listeningDescriptor(port);
    if (LibC.INSTANCE.shutdown(fd, SHUT_RDWR) < 0) {
      throw new IOException("shutdown of the listening socket failed with errno " + Native.getLastError());
    }
  }

  /** The process's own arguments, the program first, as the kernel keeps them. */
  static List<String> commandLine() throws IOException {
    String all = new String(Files.readAllBytes(COMMAND_LINE), StandardCharsets.UTF_8);
    return new ArrayList<>(Arrays.asList(all.split("\0")));
  }

  /**
   * The file descriptor of this process's socket listening on a TCP port: the socket's inode, from the kernel's TCP
   * tables, matched against the process's descriptors.
   *
   * @throws IOException where no listening socket of this process has the port
   */
  static int listeningDescriptor(int port) throws IOException {
    String portHex = String.format(Locale.ROOT, ":%04X", port);
    List<String> inodes = new ArrayList<>();
    for (Path table : TCP_TABLES) {
      if (!Files.exists(table)) {
        continue;
      }
      for (String line : Files.readAllLines(table, StandardCharsets.US_ASCII)) {
        String[] fields = line.strip().split("\\s+");
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        if (fields.length > 9 && fields[1].endsWith(portHex) && fields[3].equals(LISTEN)) {
          inodes.add("socket:[" + fields[9] + "]");
        }
      }
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(FILE_DESCRIPTORS)) {
      for (Path entry : entries) {
        try {
          if (inodes.contains(Files.readSymbolicLink(entry).toString())) {
            return Integer.parseInt(entry.getFileName().toString());
          }
        } catch (IOException closedMeanwhile) {
          // a descriptor closed since the listing
        }
      }
    }
    throw new IOException("no socket of this process listens on port " + port);
  }

  /** Marks every descriptor but the standard streams to close on exec. */
  private static void closeOnExec() throws IOException {
    List<Integer> descriptors = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(FILE_DESCRIPTORS)) {
      for (Path entry : entries) {
        descriptors.add(Integer.parseInt(entry.getFileName().toString()));
      }
    }
    for (int fd : descriptors) {
      if (fd > 2) {
        LibC.INSTANCE.fcntl(fd, F_SETFD, FD_CLOEXEC);
      }
    }
  }

  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int execve(String path, String[] argv, String[] envp);

    int fcntl(int fd, int command, int argument);

    int dup2(int from, int to);

    int sigprocmask(int how, byte[] set, byte[] old);

    int shutdown(int fd, int how);
  }
}
