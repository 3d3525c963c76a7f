package dev.thinj.train.data.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CSV number parser against the JDK's {@link Float#parseFloat}, bit for bit. */
class FloatParserTest {
    private static float parse(String s) {
        char[] padded = ("xx" + s + "yy").toCharArray();
        // An offset into a larger buffer, as FastCSV hands fields over.
        return FloatParser.parse(padded, 2, s.length());
    }

    private static void same(String s, String what) {
        float expected = Float.parseFloat(s.strip());
        assertThat(Float.floatToIntBits(parse(s))).as(what + ": \"" + s + "\" gave " + parse(s) + ", JDK " + expected)
                .isEqualTo(Float.floatToIntBits(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "+0", "1", "-1", "0.5", ".5", "5.", "-.25", "3.14159", "1e3", "1E-3", "2.5e+10",
        "123456789", "0.1", "0.2", "0.3", "16777217", "16777219", "1e-45", "1.4e-45", "3.4028235e38", "1e-38",
        "1.17549435e-38", "0.000001", "999999999999999999999", "1234567890123456789012345", "00012", "7e22",
        "9007199254740993", "1.00000005960464477539062", " 42 ", "  -1.5",
        // Short decimals whose nearest double is exactly a float midpoint (1 + 2^-24, 1 + 3 * 2^-24),
        // while they lie a hair above or below it: rounding via double alone would tie wrongly.
        "1.00000005960464478", "1.00000005960464477", "1.00000017881393433", "1.00000017881393432"})
    void agreesWithTheJdk(String s) {
        same(s, "fixed");
    }

    @Test
    void agreesWithTheJdkOnRandomDecimals() {
        for (long seed = 0; seed < 20_000; seed++) {
            Random r = new Random(seed);
            String s = switch (r.nextInt(5)) {
                case 0 -> Integer.toString(r.nextInt(512));
                case 1 -> String.format(Locale.ROOT, "%." + r.nextInt(9) + "f", (r.nextDouble() - 0.5) * 1000);
                case 2 -> String.format(Locale.ROOT, "%." + r.nextInt(12) + "e", r.nextGaussian() * Math.pow(10, r.nextInt(60) - 30));
                case 3 -> Float.toString(Float.intBitsToFloat(r.nextInt() & 0x7f7fffff));
                default -> Double.toString(r.nextDouble() * Math.pow(2, r.nextInt(100) - 50));
            };
            same(s, "seed " + seed);
        }
    }

    @Test
    void agreesOnFloatMidpoints() {
        // Decimals lying exactly between two floats, and a hair either side: where rounding twice
        // (decimal to double to float) could differ from rounding once.
        Random r = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            float f = Float.intBitsToFloat(0x3f800000 + r.nextInt(1 << 23) + (r.nextInt(60) << 23));
            double mid = ((double) f + (double) Math.nextUp(f)) / 2;
            String exact = new java.math.BigDecimal(mid).toPlainString();
            same(exact, "midpoint of " + f);
            same(new java.math.BigDecimal(mid).add(new java.math.BigDecimal("1e-30")).toString(), "above " + f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-", "+", ".", "e5", "1e", "1e+", "abc", "1,5", "1.2.3", "0x10", "1f", "1d",
        "NaN", "nan", "inf", "-Infinity", "Infinity", "1e39", "-1e40", "1 2", "--1", "１"})
    void refusesWhatIsNotAFiniteDecimal(String s) {
        assertThat(parse(s)).as("\"" + s + "\"").isNaN();
    }
}
