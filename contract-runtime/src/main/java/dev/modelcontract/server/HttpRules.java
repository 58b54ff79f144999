package dev.modelcontract.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of RFC 9112 a request head must keep that Netty's decoder leaves to the server: one valid Host header on
 * every HTTP/1.1 request (section 3.2), the asterisk-form target only for OPTIONS (3.2.4), and no CONNECT to a server
 * that is no proxy.
 */
final class HttpRules {

  /** uri-host [":" port]: an IP literal in brackets or a reg-name (RFC 3986 section 3.2.2), empty allowed. */
  private static final Pattern HOST = Pattern.compile(
      "(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9\\-._~%!$&'()*+,;=]*)(:[0-9]*)?");

  private HttpRules() {}

  /** Why the head breaks these rules; null when it keeps them. */
  static Problem refusal(HttpRequest request) {
    if (HttpMethod.CONNECT.equals(request.method())) {
      return ProblemType.METHOD_NOT_ALLOWED.problem("CONNECT is not served: this server is no proxy; send GET /ping"
          + " or POST /invocations");
    }
    if ("*".equals(request.uri()) && !HttpMethod.OPTIONS.equals(request.method())) {
      return ProblemType.MALFORMED_REQUEST.problem("the request target '*' is only for OPTIONS; name a path, e.g."
          + " /ping");
    }
    if (!HttpVersion.HTTP_1_1.equals(request.protocolVersion())) {
      return null; // HTTP/1.0 may omit Host
    }
    List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
    if (hosts.isEmpty()) {
      return ProblemType.MALFORMED_REQUEST.problem("the request has no Host header, which every HTTP/1.1 request"
          + " sends");
    }
    if (hosts.size() > 1) {
      return ProblemType.MALFORMED_REQUEST.problem("the request has " + hosts.size() + " Host headers; send one");
    }
    String host = hosts.get(0).strip();
    if (!HOST.matcher(host).matches()) {
      return ProblemType.MALFORMED_REQUEST.problem("the Host header '" + abbreviate(host) + "' is not a host with an"
          + " optional port");
    }
    return null;
  }

  private static String abbreviate(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }
}
