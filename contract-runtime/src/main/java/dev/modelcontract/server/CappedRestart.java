package dev.modelcontract.server;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.modelcontract.inference.CpuKernels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replaces the serving process with itself, capped: oneDNN reads its cap once per process, so a process whose
 * uncapped kernels differed ({@link KernelsDiffer}) cannot cap them in place. It {@code execve}s its own command
 * line — same JVM options, same arguments — with the reason in {@link CpuKernels#DIFFER_VARIABLE}, which caps the
 * new process without a second check. The process keeps its id (the container's PID 1 stays PID 1, so SageMaker's
 * SIGTERM still reaches the server) and its standard streams; every other file descriptor, the listening socket
 * among them, is closed on the exec, so the new process binds the port afresh. Nothing has been served yet: /ping
 * answered 503 until now.
 */
final class CappedRestart {

  private static final int F_SETFD = 2;
  private static final int FD_CLOEXEC = 1;
  private static final Path COMMAND_LINE = Path.of("/proc/self/cmdline");
  private static final Path EXECUTABLE = Path.of("/proc/self/exe");
  private static final Path FILE_DESCRIPTORS = Path.of("/proc/self/fd");

  private CappedRestart() {}

  /**
   * Execs the process capped; returns only where that failed, with why.
   *
   * @param reason why the uncapped kernels differed, for the new process's log and metrics
   */
  static String exec(String reason) {
    try {
      List<String> commandLine = commandLine();
      Map<String, String> environment = new TreeMap<>(System.getenv());
      environment.put(CpuKernels.DIFFER_VARIABLE, reason.replace('\0', ' '));
      String[] envp = environment.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
          .toArray(String[]::new);
      closeOnExec();
      System.out.flush();
      System.err.flush();
      LibC.INSTANCE.execve(EXECUTABLE.toString(), commandLine.toArray(String[]::new), envp);
      return "execve failed with errno " + Native.getLastError();
    } catch (IOException | RuntimeException | LinkageError e) {
      return e.toString();
    }
  }

  /** The process's own arguments, the program first, as the kernel keeps them. */
  static List<String> commandLine() throws IOException {
    String all = new String(Files.readAllBytes(COMMAND_LINE), StandardCharsets.UTF_8);
    return new ArrayList<>(Arrays.asList(all.split("\0")));
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
  }
}
