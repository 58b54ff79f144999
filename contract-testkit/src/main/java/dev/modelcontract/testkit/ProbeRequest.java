package dev.modelcontract.testkit;

import dev.modelcontract.server.ProblemType;

/**
 * A request a server must refuse, with the refusal it must give.
 *
 * @param name what the request does wrong
 * @param contentType the Content-Type sent
 * @param accept the Accept header sent, or null
 * @param body the bytes sent
 * @param problem the problem expected, from the server's catalogue: its status and type
 * @param input the input the problem must name, or null when none is required
 */
public record ProbeRequest(String name, String contentType, String accept, byte[] body, ProblemType problem,
    String input) {

  /** The status expected. */
  public int status() {
    return problem.status();
  }
}
