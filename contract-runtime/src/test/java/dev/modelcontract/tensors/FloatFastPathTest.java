package dev.modelcontract.tensors;

import static org.assertj.core.api.Assertions.assertThat;

import ch.randelshofer.fastdoubleparser.JsonDoubleParser;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float fast path against the rule it stands in for, parsing the text to the correctly rounded double and
 * casting to float: identical bits wherever it answers, on float32 values as callers print them and on decimals
 * placed next to every kind of rounding edge.
 */
class FloatFastPathTest {

  /** The fast path's answer for a decimal's text, split as the scanner splits it; NaN where it declines. */
  private static float fast(String text) {
    BigDecimal decimal = new BigDecimal(text);
    BigDecimal magnitude = decimal.abs();
    if (magnitude.unscaledValue().bitLength() > 62) {
      return Float.NaN;
    }
    int digits = magnitude.signum() == 0 ? 0 : magnitude.precision();
    return FloatFastPath.parse(decimal.signum() < 0 || text.startsWith("-"), magnitude.unscaledValue().longValue(),
        digits, -magnitude.scale());
  }

  private static float reference(String text) {
    return (float) JsonDoubleParser.parseDouble(text);
  }

  /** Asserts the fast path agrees wherever it answers; returns whether it answered. */
  private static boolean agrees(String text) {
    float fast = fast(text);
    if (Float.isNaN(fast)) {
      return false;
    }
    assertThat(Float.floatToRawIntBits(fast)).as(text).isEqualTo(Float.floatToRawIntBits(reference(text)));
    return true;
  }

  @Test
  void float32ValuesPrintedAsDoublesTakeTheFastPathAndParseToThemselves() {
    Random random = new Random(11);
    int answered = 0;
    int total = 300_000;
    for (int i = 0; i < total; i++) {
      float value = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 3));
      String text = new BigDecimal(Double.toString(value)).toPlainString();
      if (agrees(text)) {
        answered++;
        assertThat(fast(text)).isEqualTo(value);
      }
    }
    assertThat(answered).as("answered by the fast path").isGreaterThan(total * 95 / 100);
  }

  @Test
  void decimalsAtAndBesideEveryFloatRoundingMidpointAgreeOrAreDeclined() {
    Random random = new Random(12);
    MathContext[] precisions = {new MathContext(16, RoundingMode.HALF_EVEN), new MathContext(17, RoundingMode.DOWN),
        new MathContext(17, RoundingMode.UP), new MathContext(18, RoundingMode.HALF_UP)};
    int declined = 0;
    for (int i = 0; i < 100_000; i++) {
      float below = (float) (random.nextDouble() * Math.pow(10, random.nextInt(12) - 4));
      BigDecimal midpoint = new BigDecimal(below).add(new BigDecimal(Math.nextUp(below)))
          .divide(BigDecimal.valueOf(2));
      for (MathContext precision : precisions) {
        BigDecimal near = midpoint.round(precision);
        BigDecimal step = BigDecimal.ONE.movePointLeft(near.scale());
        for (BigDecimal candidate : new BigDecimal[] {near, near.add(step), near.subtract(step)}) {
          if (!agrees(candidate.toPlainString())) {
            declined++;
          }
        }
      }
    }
    assertThat(declined).as("midpoints declined to the full parser").isGreaterThan(0);
  }

  @Test
  void anyDecimalOfUpToEighteenDigitsAgreesOrIsDeclined() {
    Random random = new Random(13);
    for (int i = 0; i < 300_000; i++) {
      int digits = 1 + random.nextInt(18);
      long significand = Math.floorMod(random.nextLong(), (long) Math.pow(10, digits - 1) * 9)
          + (long) Math.pow(10, digits - 1);
      int power = random.nextInt(61) - 40;
      agrees((random.nextBoolean() ? "-" : "") + BigDecimal.valueOf(significand, -power).toString());
    }
  }

  @Test
  void zerosKeepTheirSignAndTheEdgesOfTheFloatRangeAreLeftToTheFullParser() {
    assertThat(Float.floatToRawIntBits(fast("-0.0"))).isEqualTo(Float.floatToRawIntBits(-0f));
    assertThat(fast("0.000")).isEqualTo(0f);
    assertThat(fast("3.4028235e38")).isNaN();
    assertThat(fast("1e-40")).isNaN();
    assertThat(fast("1234567890123456789")).isNaN(); // 19 digits
  }
}
