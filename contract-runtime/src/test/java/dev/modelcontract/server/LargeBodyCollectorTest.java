package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LargeBodyCollectorTest {

  private static final int CHUNK = 64 * 1024;
  private static final long LIMIT = 6L << 20;

  @Test
  void aLargeDeclaredBodyIsCollectedIntoOneHeapArrayThatTheDecodersReadWithoutACopy() throws Exception {
    byte[] sent = new byte[(int) LargeBodyCollector.FROM_BYTES * 3 + 123];
    new Random(7).nextBytes(sent);
    EmbeddedChannel channel = new EmbeddedChannel(new LargeBodyCollector(LIMIT, LIMIT * 8));
    List<ByteBuf> chunks = new ArrayList<>();
    channel.writeInbound(head(sent.length));
    for (int from = 0; from < sent.length; from += CHUNK) {
      ByteBuf chunk = Unpooled.directBuffer(CHUNK).writeBytes(sent, from, Math.min(CHUNK, sent.length - from));
      chunks.add(chunk);
      boolean last = from + CHUNK >= sent.length;
      channel.writeInbound(last ? new DefaultLastHttpContent(chunk) : new DefaultHttpContent(chunk));
      assertThat(channel.inboundMessages()).as("nothing goes on before the last chunk").hasSize(last ? 1 : 0);
    }

    FullHttpRequest request = channel.readInbound();
    assertThat(request.decoderResult().isSuccess()).isTrue();
    assertThat(request.uri()).isEqualTo("/invocations");
    assertThat(request.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/jsonlines");
    assertThat(request.content().hasArray()).isTrue();
    assertThat(chunks).as("every chunk was released as it was copied").allMatch(chunk -> chunk.refCnt() == 0);
    byte[] decoded = ContentCodings.decodedBody(request.content(), null, sent.length);
    assertThat(decoded).as("the decoders read the collected array itself").isSameAs(request.content().array());
    assertThat(Arrays.equals(decoded, sent)).isTrue();
    request.release();
  }

  @Test
  void aBodyThatEndsShortOfItsDeclaredLengthFailsTheRequest() {
    EmbeddedChannel channel = new EmbeddedChannel(new LargeBodyCollector(LIMIT, LIMIT * 8));
    int declared = (int) LargeBodyCollector.FROM_BYTES * 2;
    channel.writeInbound(head(declared));
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[CHUNK])));
    channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[CHUNK])));

    FullHttpRequest request = channel.readInbound();
    assertThat(request.decoderResult().isFailure()).isTrue();
    assertThat(request.decoderResult().cause()).hasMessageContaining("after 131072 of its declared " + declared
        + " bytes");
    request.release();
  }

  @Test
  void aChunkedBodyIsCollectedOnTheHeapAndRefusedOnceItPassesTheLimit() {
    EmbeddedChannel channel = new EmbeddedChannel(new LargeBodyCollector(LIMIT, LIMIT * 8));
    channel.writeInbound(chunked());
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {'{', '}'})));
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {'\n'})));
    channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[] {'{', '}'})));
    FullHttpRequest request = channel.readInbound();
    assertThat(request.decoderResult().isSuccess()).isTrue();
    assertThat(request.content().array()).containsExactly('{', '}', '\n', '{', '}');
    request.release();

    channel.writeInbound(chunked());
    ByteBuf[] sent = new ByteBuf[(int) (LIMIT / CHUNK) + 2];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = Unpooled.directBuffer(CHUNK).writeZero(CHUNK);
      channel.writeInbound(i == sent.length - 1 ? new DefaultLastHttpContent(sent[i]) : new DefaultHttpContent(sent[i]));
    }
    RequestRouter.Refusal refusal = channel.readInbound();
    assertThat(refusal.response().status()).isEqualTo(413);
    assertThat(refusal.keepAlive()).as("the rest is read and dropped: the connection stays up").isTrue();
    assertThat((Object) channel.readInbound()).as("nothing more of the refused body goes on").isNull();
    assertThat(channel.isOpen()).isTrue();
    assertThat(sent).as("the body past the limit is let go").allMatch(chunk -> chunk.refCnt() == 0);
  }

  @Test
  void aChunkedBodyIsHeldToAQuarterOfTheHeapWhereThatIsLessThanTheLimit() {
    long heap = 8L << 20;
    EmbeddedChannel channel = new EmbeddedChannel(new LargeBodyCollector(LIMIT, heap));
    channel.writeInbound(chunked());
    for (int i = 0; i < 33 && channel.inboundMessages().isEmpty(); i++) {
      channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[CHUNK])));
    }
    RequestRouter.Refusal refusal = channel.readInbound();
    assertThat(refusal.response().status()).isEqualTo(413);
    assertThat(new String(refusal.response().body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("the chunked body has more than 2097152 bytes")
        .contains("send it with its Content-Length (up to 6291456 bytes)");
  }

  @Test
  void smallBodiesOfADeclaredLengthGoOnAsTheyCame() {
    EmbeddedChannel channel = new EmbeddedChannel(new LargeBodyCollector(LIMIT, LIMIT * 8));
    HttpRequest small = head((int) LargeBodyCollector.FROM_BYTES - 1);
    LastHttpContent content = new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[10]));

    channel.writeInbound(small, content);

    assertThat((Object) channel.readInbound()).isSameAs(small);
    assertThat((Object) channel.readInbound()).isSameAs(content);
    content.release();
  }

  private static HttpRequest chunked() {
    HttpRequest chunked = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/invocations");
    chunked.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
    return chunked;
  }

  private static HttpRequest head(int length) {
    HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/invocations");
    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, length).set(HttpHeaderNames.CONTENT_TYPE,
        "application/jsonlines");
    return head;
  }
}
