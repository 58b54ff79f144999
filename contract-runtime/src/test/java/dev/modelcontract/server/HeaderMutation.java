package dev.modelcontract.server;

import java.util.Locale;
import java.util.Random;

/**
 * The parts of a request head a client gets wrong, one class per header or part of the request line; each mutates
 * a well-formed {@link WireRequest} and says in words what it did. A mutation that makes the framing lie (a length
 * longer than the body, a chunk longer than its data) lies by fewer bytes than the request that follows it on the
 * connection ({@link FuzzedRequest#FOLLOWER}), so the server is never left waiting for bytes that will not come.
 */
enum HeaderMutation {
  CONTENT_TYPE {
    @Override
    String apply(WireRequest request, Random random) {
      String type = request.value("Content-Type");
      String changed = switch (random.nextInt(6)) {
        case 0 -> null;
        case 1 -> pick(random, "foo", "application/", "/", "*/*", "application/json/extra", "\u00ff\u00fe", "",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "x".repeat(10_000),
            "application/json, text/csv", "text/plain");
        case 2 -> type + pick(random, "; charset=utf-8", "; charset=UTF-16", "; charset=latin1", ";", ";;", "; q=0.5",
            "; charset=\"utf-8\"", ";charset=", "; boundary=x; charset=utf-8", "; =", " ;", "\t;\tx=y");
        case 3 -> random.nextBoolean() ? type.toUpperCase(Locale.ROOT) : " " + type + " ";
        case 4 -> pick(random, MediaTypes.JSON, MediaTypes.JSON_LINES, MediaTypes.NPY, MediaTypes.NPZ, MediaTypes.CSV);
        default -> {
          request.header("Content-Type", pick(random, MediaTypes.JSON, MediaTypes.NPZ, "text/plain"));
          yield type; // two Content-Type headers
        }
      };
      request.set("Content-Type", changed);
      return "Content-Type " + quoted(changed) + (request.headers.stream().filter(line -> line.startsWith(
          "Content-Type")).count() > 1 ? " and another" : "");
    }
  },
  ACCEPT {
    @Override
    String apply(WireRequest request, Random random) {
      String accept = pick(random, ";", ";;", " ;", ".text,;", "", ",", " , ,", "*/*", "*/*;q=0", "application/*",
          "application/json;q=2", "application/json;q=-1", "application/json;q=abc", "application/json;q=NaN",
          "application/json;q=0.0001, application/x-npz;q=0.5", "text/csv", "application/x-npy", "*", "*/json",
          "application/jsonlines", "image/png", "application/json;;q=0.5", "application/json; q=", "q=1", ";q=1",
          "application/json;q=1;q=0", "application/x-npz;q=0, */*;q=0", "APPLICATION/JSON", "application/json\u0000",
          "text/*;q=1e-3", "application/json;q=1e309", "*/*;q=0.5, application/x-npz;q=0.9",
          "application/x-npz, ".repeat(2_000) + "text/plain", "\u00ff/\u00ff", "application/json;level=1;q=0.5");
      request.set("Accept", accept);
      if (random.nextInt(4) == 0) {
        request.header("Accept", pick(random, "application/x-npz", ";", "text/csv"));
        return "Accept " + quoted(accept) + " and another Accept";
      }
      return "Accept " + quoted(accept);
    }
  },
  CONTENT_ENCODING {
    @Override
    String apply(WireRequest request, Random random) {
      String coding = pick(random, "br", "zstd", "compress", "gzip, gzip", "gzip, identity", "identity", "", " ",
          "GZIP", "x-gzip", "deflate, gzip", "gzip;q=1", "chunked", "identity, identity", ",", "x".repeat(5_000));
      request.set("Content-Encoding", coding);
      if (random.nextInt(4) == 0) {
        request.header("Content-Encoding", pick(random, "gzip", "br", "identity"));
        return "Content-Encoding " + quoted(coding) + " and another";
      }
      return "Content-Encoding " + quoted(coding);
    }
  },
  CONTENT_LENGTH {
    @Override
    String apply(WireRequest request, Random random) {
      int length = request.body.length;
      if (request.chunks != null) {
        request.set("Transfer-Encoding", null);
        request.chunks = null;
      }
      String value = switch (random.nextInt(12)) {
        case 0 -> "-1";
        case 1 -> "99999999999999999999";
        case 2 -> "1000000000000"; // far over the limit, declared
        case 3 -> "+" + length;
        case 4 -> " " + length + " \t";
        case 5 -> length + ", " + length;
        case 6 -> pick(random, "0x10", "1e3", "", "1 0", "ten", "١٢");
        case 7 -> Integer.toString(Math.max(0, length - 1 - random.nextInt(Math.max(1, length)))); // too short
        case 8 -> Integer.toString(length + 1 + random.nextInt(FuzzedRequest.FOLLOWER.length - 5)); // too long
        case 9 -> {
          request.header("Content-Length", Integer.toString(random.nextBoolean() ? length : length + 1));
          yield Integer.toString(length); // two Content-Length headers
        }
        case 10 -> null; // a POST body without any length: it reads as the next request
        default -> "0";
      };
      request.set("Content-Length", value);
      return "Content-Length " + quoted(value) + " for a body of " + length + " bytes";
    }
  },
  TRANSFER_ENCODING {
    @Override
    String apply(WireRequest request, Random random) {
      int length = request.body.length;
      if (request.chunks == null) {
        request.chunked(CodingMutations.chunks(length, random));
      }
      switch (random.nextInt(9)) {
        case 0 -> {
          request.header("Content-Length", Integer.toString(length));
          return "Transfer-Encoding chunked and Content-Length " + length;
        }
        case 1 -> {
          String coding = pick(random, "chunked, chunked", "gzip, chunked", "chunked, gzip", "identity", "Chunked",
              " chunked", "chunked;q=1", "xchunked", "chunked, identity", "", "CHUNKED ");
          request.set("Transfer-Encoding", coding);
          return "Transfer-Encoding " + quoted(coding);
        }
        case 2 -> {
          request.header("Transfer-Encoding", "chunked");
          return "Transfer-Encoding chunked twice";
        }
        case 3 -> {
          request.chunkSizeText = pick(random, "zz", "-1", "ffffffffffffffffff", "1 2", "", "0x10", "+5", " 5",
              "5 ", "\u00ff", "1000000000000000000000");
          request.chunkSizeTextAt = random.nextInt(Math.max(1, request.chunks.size()));
          return "chunk size " + quoted(request.chunkSizeText) + " at chunk " + request.chunkSizeTextAt;
        }
        case 4 -> {
          if (request.chunks.isEmpty()) {
            request.chunks.add(1);
          }
          int at = random.nextInt(request.chunks.size());
          int size = request.chunks.get(at);
          int lie = random.nextBoolean() ? -1 - random.nextInt(size) : 1 + random.nextInt(FuzzedRequest.FOLLOWER.length
              - 5);
          request.chunkSizeText = Integer.toHexString(size + lie);
          request.chunkSizeTextAt = at;
          return "chunk " + at + " of " + size + " bytes declared " + (size + lie);
        }
        case 5 -> {
          request.chunkExtension = pick(random, ";a=b", ";" + "e".repeat(20_000), "; a = \"b\"", ";;", ";\u00ff");
          return "chunk extension " + quoted(request.chunkExtension.length() > 40
              ? request.chunkExtension.substring(0, 40) + "..." : request.chunkExtension);
        }
        case 6 -> {
          request.trailers.add(pick(random, "X-Trailer: 1", "Content-Length: 5", "Host: other", "Bad Trailer: x",
              "Content-Type: text/csv", "x".repeat(20_000) + ": y"));
          return "trailer " + quoted(request.trailers.get(0).length() > 40 ? request.trailers.get(0).substring(0, 40)
              + "..." : request.trailers.get(0));
        }
        case 7 -> {
          request.chunkSizeText = "0";
          request.chunkSizeTextAt = random.nextInt(Math.max(1, request.chunks.size()));
          return "a last chunk (size 0) at chunk " + request.chunkSizeTextAt + ", data after it";
        }
        default -> {
          request.set("Transfer-Encoding", null);
          return "chunks sent without Transfer-Encoding";
        }
      }
    }
  },
  HOST {
    @Override
    String apply(WireRequest request, Random random) {
      switch (random.nextInt(3)) {
        case 0 -> {
          request.set("Host", null);
          return "no Host";
        }
        case 1 -> {
          request.header("Host", pick(random, "127.0.0.1", "other.example", ""));
          return "two Host headers";
        }
        default -> {
          String host = pick(random, "a b", "host:port:x", "[::1", "\u00e9.example", "", "x/y", "@", "h".repeat(9_000),
              "127.0.0.1:99999", "[::1]:8080", "host:", "%00", "exa_mple.com", "h\u0000st", "host,other");
          request.set("Host", host);
          return "Host " + quoted(host.length() > 40 ? host.substring(0, 40) + "..." : host);
        }
      }
    }
  },
  TARGET {
    @Override
    String apply(WireRequest request, Random random) {
      request.target = pick(random, "http://127.0.0.1/invocations", "https://x:8080/invocations?x=1",
          "HTTP://X/invocations", "http://x", "*", "/" + "i".repeat(9_000), "/invocations?" + "q".repeat(7_000),
          "/invocations#frag", "/invocation%73", "/%2e%2e/invocations", "/invocations%00", "//invocations",
          "/invocations/", "invocations", "/INVOCATIONS", "/invocations;x", "/\u00ff", "/ping", "/metrics",
          "/execution-parameters", "", "/invocations?a=%zz", "/invocations\t", "/invo cations", "/../invocations",
          "http://[::1/invocations", "http:///invocations", "/invocations?\u0000");
      return "target " + quoted(request.target.length() > 60 ? request.target.substring(0, 60) + "..."
          : request.target);
    }
  },
  METHOD {
    @Override
    String apply(WireRequest request, Random random) {
      request.method = pick(random, "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "CONNECT", "post",
          "P0ST", "POST\t", "M".repeat(1_000), "PRI", "", "G\u00e9T", "BREW", "POST POST");
      return "method " + quoted(request.method.length() > 20 ? request.method.substring(0, 20) + "..."
          : request.method);
    }
  },
  VERSION {
    @Override
    String apply(WireRequest request, Random random) {
      request.version = pick(random, "HTTP/1.0", "HTTP/1.2", "HTTP/2.0", "HTTP/3.0", "HTTP/0.9", "HTTP/1", "HTTP/1.1.1",
          "http/1.1", "HTTP/01.1", "HTTP/1.10", "HTTPS/1.1", "", "HTTP/9.9", "HTTP/2", "HTTP/1.1 extra",
          "HTTP/\u00b9.1");
      if (request.version.equals("HTTP/1.0") && random.nextBoolean()) {
        request.header("Connection", "keep-alive");
        return "version HTTP/1.0 with Connection: keep-alive";
      }
      return "version " + quoted(request.version);
    }
  },
  EXPECT {
    @Override
    String apply(WireRequest request, Random random) {
      String expect = pick(random, "100-continue", "100-Continue", " 100-continue ", "200-ok", "", "100-continue, x",
          "\u00ff");
      request.set("Expect", expect);
      if (random.nextInt(4) == 0) {
        request.header("Expect", "100-continue");
        return "Expect " + quoted(expect) + " twice";
      }
      return "Expect " + quoted(expect);
    }
  },
  OTHER {
    @Override
    String apply(WireRequest request, Random random) {
      switch (random.nextInt(9)) {
        case 0 -> request.set("Connection", pick(random, "close", "keep-alive, Upgrade", "garbage", "",
            "close, close"));
        case 1 -> {
          request.set("Connection", "Upgrade");
          request.set("Upgrade", pick(random, "h2c", "websocket", "HTTP/2.0"));
        }
        case 2 -> request.set(Routes.CUSTOM_ATTRIBUTES, pick(random, "\u00ff\u00fe", "a".repeat(8_000), "", "x=1;y",
            "\u0001"));
        case 3 -> request.headers.add(pick(random, "Bad Header: x", "NoColon", ": empty-name", "X-\u00ff: y",
            "X-A :y", "X-A:\u0000"));
        case 4 -> request.headers.add(1, " folded continuation");
        case 5 -> request.header("X-Large", "v".repeat(17_000)); // headers over their limit
        case 6 -> {
          for (int i = 0; i < 300; i++) {
            request.header("X-Many-" + i, "v");
          }
        }
        case 7 -> request.headers.replaceAll(line -> line.toLowerCase(Locale.ROOT).startsWith("content")
            ? line.toUpperCase(Locale.ROOT) : line);
        default -> request.headers.add(0, "");
      }
      return "headers " + String.join(" | ", request.headers.stream().map(line -> line.length() > 40
          ? line.substring(0, 40) + "..." : line).toList());
    }
  };

  /** Mutates the request's head; what it did, in words. */
  abstract String apply(WireRequest request, Random random);

  private static String pick(Random random, String... values) {
    return values[random.nextInt(values.length)];
  }

  private static String quoted(String value) {
    return value == null ? "removed" : "'" + value + "'";
  }
}
