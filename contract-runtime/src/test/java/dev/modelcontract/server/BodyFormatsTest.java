package dev.modelcontract.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelcontract.contract.ContractReader;
import dev.modelcontract.inference.ExampleModel;
import org.junit.jupiter.api.Test;

/**
 * Bodies that {@link FuzzRequestsTest} found answered 500 instead of refused, decoded as the server decodes them:
 * each is now a 4xx problem that names the body's fault.
 */
class BodyFormatsTest {

  private static final long LIMIT = 1024 * 1024;

  private static BodyFormats formats(ExampleModel example) throws Exception {
    return new BodyFormats(new ContractReader().read(example.modelDir().resolve(ContractReader.FILE_NAME)), LIMIT);
  }

  private static Problem refusal(BodyFormats formats, String type, byte[] body) {
    RequestRefused refused = catchThrowableOfType(RequestRefused.class,
        () -> formats.decoder(type).decode(body));
    assertThat(refused).as("decoding should be refused").isNotNull();
    return refused.response().problem();
  }

  /**
   * The parser detects JSON's encoding from the first four bytes; those of UTF-32 in a byte order it does not read
   * ("3412" and "2143") failed with a plain IOException, which was answered 500.
   */
  @Test
  void jsonInAUtf32ByteOrderTheParserDoesNotReadIs400MalformedBody() throws Exception {
    BodyFormats lstm = formats(ExampleModel.LSTM_TWO_INPUTS);
    byte[] order3412 = {0, '{', 0, 0, 0, '}', 0, 0};
    byte[] order2143 = {0, 0, '{', 0, 0, 0, '}', 0};

    for (String type : new String[] {MediaTypes.JSON, MediaTypes.JSON_LINES}) {
      for (byte[] body : new byte[][] {order3412, order2143}) {
        Problem problem = refusal(lstm, type, body);
        assertThat(problem.type()).as(type).isEqualTo(ProblemType.MALFORMED_BODY);
        assertThat(problem.detail()).as(type).contains("not JSON text in UTF-8, UTF-16 or UTF-32");
      }
    }
  }
}
