package dev.modelcontract.server;

import dev.modelcontract.inference.ExampleModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * One client thread's side of fuzzing: sends each request and checks every answer it gets. A request with a
 * well-formed head goes on a keep-alive connection to its model's server and gets one answer; one with a mutated
 * head goes on a connection of its own, followed by {@link FuzzedRequest#FOLLOWER}, and everything the server
 * answers until it closes the connection is checked.
 */
final class FuzzClient implements AutoCloseable {

  /** How long the first answer may take: behind forward passes and large bodies on a loaded 2-core machine. */
  private static final int ANSWER_MILLIS = 30_000;
  /** How long the server may take to close a connection after its last answer before it is said to linger. */
  private static final int CLOSE_MILLIS = 10_000;
  /** Bodies this large are written on a thread of their own, so that an early answer is read while they go out. */
  private static final int BACKGROUND_BYTES = 256 * 1024;
  private static final Set<String> PROBLEM_TYPES = Arrays.stream(ProblemType.values()).map(ProblemType::uri)
      .collect(Collectors.toSet());

  /**
   * What one request got.
   *
   * @param status the first final answer's status; 0 for none
   * @param failure why the answers break the rules, with the request to send again; null where they keep them
   * @param lingered whether the server kept the connection of a mutated request open after its last answer
   */
  record Result(FuzzedRequest request, int status, String failure, boolean lingered) {}

  private final Map<ExampleModel, Integer> ports;
  private final Map<ExampleModel, RawHttp> open = new EnumMap<>(ExampleModel.class);

  FuzzClient(Map<ExampleModel, Integer> ports) {
    this.ports = ports;
  }

  Result send(FuzzedRequest request) {
    try {
      return request.alone() ? alone(request) : keptAlive(request);
    } catch (IOException e) {
      throw new UncheckedIOException("could not connect for " + request.describe(), e);
    }
  }

  private Result keptAlive(FuzzedRequest request) throws IOException {
    ExampleModel model = request.model();
    RawHttp http = open.get(model);
    boolean reused = http != null;
    if (http == null) {
      http = RawHttp.connect(ports.get(model), ANSWER_MILLIS);
      open.put(model, http);
    }
    Thread writer = write(http, request.bytes());
    RawHttp.Response answer = null;
    IOException failure = null;
    try {
      answer = finalAnswer(http, request.head());
    } catch (IOException e) {
      failure = e;
    }
    boolean written = join(writer, http);
    if (failure != null || !written || "close".equalsIgnoreCase(answer.header("Connection"))) {
      forget(model);
    }
    if (failure != null) {
      return new Result(request, 0, "no answer" + (reused ? " on a kept-alive connection" : "") + " (" + failure
          + (http.writeFailure() == null ? "" : "; writing failed: " + http.writeFailure()) + ") for "
          + request.describe(), false);
    }
    String wrong = wrong(request, answer, true);
    return new Result(request, answer.status(), wrong == null ? null : wrong + " for " + request.describe(), false);
  }

  private Result alone(FuzzedRequest request) throws IOException {
    List<RawHttp.Response> answers = new ArrayList<>();
    String end;
    try (RawHttp http = RawHttp.connect(ports.get(request.model()), ANSWER_MILLIS)) {
      byte[] bytes = Arrays.copyOf(request.bytes(), request.bytes().length + FuzzedRequest.FOLLOWER.length);
      System.arraycopy(FuzzedRequest.FOLLOWER, 0, bytes, request.bytes().length, FuzzedRequest.FOLLOWER.length);
      Thread writer = write(http, bytes);
      while (true) {
        try {
          RawHttp.Response answer = http.read(answers.isEmpty() && request.head());
          if (answer.status() >= 200) {
            answers.add(answer);
            http.setReadTimeout(CLOSE_MILLIS);
          }
        } catch (IOException e) {
          end = e.toString();
          break;
        }
      }
      join(writer, http);
    }
    if (answers.isEmpty()) {
      return new Result(request, 0, "no answer before the connection ended (" + end + ") for " + request.describe(),
          false);
    }
    for (int i = 0; i < answers.size(); i++) {
      String wrong = wrong(request, answers.get(i), i == 0);
      if (wrong != null) {
        return new Result(request, answers.get(0).status(), (i == 0 ? "" : "answer " + (i + 1) + " on the connection: ")
            + wrong + " for " + request.describe(), false);
      }
    }
    return new Result(request, answers.get(0).status(), null, end.contains("SocketTimeoutException"));
  }

  /**
   * Why an answer breaks the rules; null where it keeps them: no 5xx (but 505 to a version other than 1.x), a valid
   * request served, every 4xx (and 505) a problem+json of a type the server declares.
   */
  private static String wrong(FuzzedRequest request, RawHttp.Response answer, boolean first) {
    int status = answer.status();
    boolean versionRefused = first && request.versionNotServed() && status == 505;
    if (status >= 500 && !versionRefused) {
      return "answered " + answer;
    }
    if (first && request.mustServe() && status != 200) {
      return "a valid request answered " + answer;
    }
    if (status < 400) {
      return null;
    }
    if (!Problem.MEDIA_TYPE.equals(answer.header("Content-Type"))) {
      return status + " without a problem+json body: " + answer;
    }
    if (first && request.head()) {
      return null; // no body to read the problem from
    }
    JsonNode problem;
    try {
      problem = answer.json();
    } catch (RuntimeException e) {
      return status + " whose problem+json is not JSON: " + answer;
    }
    if (!PROBLEM_TYPES.contains(problem.path("type").asString("")) || problem.path("status").asInt() != status) {
      return status + " with a problem of no type the server declares, or another status: " + answer;
    }
    return null;
  }

  /** The answer after any interim ones ({@code 100 Continue}). */
  private static RawHttp.Response finalAnswer(RawHttp http, boolean head) throws IOException {
    RawHttp.Response answer = http.read(head);
    while (answer.status() < 200) {
      answer = http.read(head);
    }
    return answer;
  }

  private static Thread write(RawHttp http, byte[] bytes) {
    if (bytes.length >= BACKGROUND_BYTES) {
      return http.sendInBackground(bytes);
    }
    http.sendToleratingClose(bytes);
    return null;
  }

  /**
   * Waits for a background write; one the server no longer reads ends with the connection.
   *
   * @return whether the connection is still open
   */
  private static boolean join(Thread writer, RawHttp http) throws IOException {
    if (writer == null) {
      return true;
    }
    try {
      writer.join(ANSWER_MILLIS);
      if (writer.isAlive()) {
        http.close();
        writer.join();
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }

  private void forget(ExampleModel model) throws IOException {
    RawHttp http = open.remove(model);
    if (http != null) {
      http.close();
    }
  }

  @Override
  public void close() throws IOException {
    for (RawHttp http : open.values()) {
      http.close();
    }
    open.clear();
  }
}
