package dev.modelcontract.server;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes fuzzed request number n from a seed, the same bytes every time and independently of every other number:
 * a format, one of its bodies (for one of the example models), mostly mutated where its structure is, a content
 * coding, Content-Length or chunked framing, for some an Accept header naming a type the answer may take, and for
 * some a mutated head.
 */
final class RequestFuzzer {

  /** The share of requests, in percent, whose head is mutated. */
  private static final int HEAD_MUTATED = 30;
  /** The share of chunked bodies, in percent. */
  private static final int CHUNKED = 12;
  /** The share of bodies, in percent, made from a request at the edges of the contract's dims. */
  private static final int EDGES = 20;
  /** The share of well-formed heads, in percent, that ask for an answer type by Accept. */
  private static final int ACCEPTING = 30;
  private static final Pattern VERSION = Pattern.compile("HTTP/(\\d+)\\.\\d+");
  private static final List<FuzzFormat> FORMATS = List.of(FuzzFormat.values());
  private static final List<HeaderMutation> HEADER_MUTATIONS = List.of(HeaderMutation.values());

  private final long seed;
  private final long limit;
  private final FuzzCorpus corpus;
  private final CodingMutations codings;

  RequestFuzzer(long seed, long limit, FuzzCorpus corpus) {
    this.seed = seed;
    this.limit = limit;
    this.corpus = corpus;
    this.codings = new CodingMutations(limit);
  }


  FuzzedRequest request(int number) {
    Random random = new Random(seed ^ (number * 0x9E3779B97F4A7C15L));
    FuzzFormat format = FORMATS.get(random.nextInt(FORMATS.size()));
    List<FuzzCorpus.Seed> seeds = random.nextInt(100) < EDGES && !corpus.edges(format).isEmpty()
        ? corpus.edges(format) : corpus.of(format);
    FuzzCorpus.Seed from = seeds.get(random.nextInt(seeds.size()));
    HeaderMutation headerMutation = random.nextInt(100) < HEAD_MUTATED
        ? HEADER_MUTATIONS.get(random.nextInt(HEADER_MUTATIONS.size())) : null;
    // A mutated head is tried mostly on a valid body, so that the head is what the server has to refuse.
    boolean mutate = random.nextInt(100) < (headerMutation == null ? 85 : 30);
    byte[] body = mutate ? format.mutated(from.body(), random, limit) : from.body();
    if (body.length > limit) {
      body = Arrays.copyOf(body, (int) limit + (random.nextBoolean() ? random.nextInt(1024) : 0));
    }
    CodingMutations.Coded coded = codings.coded(body, random);
    WireRequest wire = new WireRequest("POST", Routes.INVOCATIONS, coded.body())
        .header("Host", "127.0.0.1")
        .header("Content-Type", format.mediaType());
    if (coded.coding() != null) {
      wire.header("Content-Encoding", coded.coding());
    }
    boolean chunked = random.nextInt(100) < CHUNKED;
    if (chunked) {
      wire.chunked(CodingMutations.chunks(coded.body().length, random));
    } else {
      wire.header("Content-Length", Integer.toString(coded.body().length));
    }
    if (headerMutation == null && random.nextInt(100) < ACCEPTING) {
      wire.header("Accept", from.answerTypes().get(random.nextInt(from.answerTypes().size())));
    }
    String headerDetail = headerMutation == null ? null : headerMutation.apply(wire, random);
    Matcher version = VERSION.matcher(wire.version);
    return new FuzzedRequest(seed, number, from.model(), format, from.name(), mutate, coded.what(), chunked,
        headerMutation, headerDetail, wire.bytes(), !mutate && from.valid() && coded.intact() && headerMutation == null,
        "HEAD".equals(wire.method), version.matches() && !version.group(1).equals("1"));
  }
}
