package dev.modelcontract.testkit;

/**
 * A request a server must refuse, with the refusal it must give.
 *
 * @param name what the request does wrong
 * @param contentType the Content-Type sent
 * @param accept the Accept header sent, or null
 * @param body the bytes sent
 * @param status the status expected
 * @param input the input the problem must name, or null when none is required
 */
public record ProbeRequest(String name, String contentType, String accept, byte[] body, int status, String input) {}
