package dev.thinj.model.serialize;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The Python float Thinc holds for a number thinj holds as a float32, such as a dropout rate: the
 * value Thinc's config parser gives the number's shortest decimal. That parser is srsly's bundled
 * ujson, which is not correctly rounded: it reads {@code 0.3} as {@code 3 * 0.1 =
 * 0.30000000000000004} and {@code 0.7} as {@code 0.7000000000000001}. Writing that value makes
 * thinj's file byte for byte the one Thinc writes for a model built from the same config; either way
 * Thinc and thinj compute with the same float32.
 */
final class ThincConfigFloats {
    /** ujson's table of negative powers of ten, by number of fraction digits. */
    private static final double[] POW10 = {1, 0.1, 0.01, 0.001, 0.0001, 0.00001, 0.000001, 0.0000001, 0.00000001,
        0.000000001, 0.0000000001, 0.00000000001, 0.000000000001, 0.0000000000001, 0.00000000000001,
        0.000000000000001};
    /** ujson reads at most this many fraction digits. */
    private static final int MAX_DECIMALS = 15;

    private ThincConfigFloats() {
    }

    /**
     * @param f a finite float32
     * @return the double Thinc's config parser gives its shortest decimal
     */
    static double of(float f) {
        if (!Float.isFinite(f)) {
            return f;
        }
        return parse(shortest(f));
    }

    /** @return the shortest decimal that reads back as {@code f}, written as Python writes floats */
    static String shortest(float f) {
        if (f == 0f) {
            return Float.compare(f, 0f) == 0 ? "0.0" : "-0.0";
        }
        BigDecimal exact = new BigDecimal(f);
        BigDecimal d = exact;
        for (int digits = 1; digits <= 9; digits++) {
            d = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (d.floatValue() == f) {
                break;
            }
        }
        double magnitude = Math.abs(f);
        // Python's repr: plain between 1e-4 and 1e16, else with an exponent.
        if (magnitude >= 1e-4 && magnitude < 1e16) {
            String s = d.stripTrailingZeros().toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        BigDecimal unscaled = d.stripTrailingZeros();
        int exponent = unscaled.precision() - unscaled.scale() - 1;
        return unscaled.movePointLeft(exponent).toPlainString() + "e" + exponent;
    }

    /** ujson's decode_numeric: integer part, up to 15 fraction digits times a power of ten, exponent. */
    static double parse(String s) {
        int i = 0;
        double sign = 1;
        if (s.charAt(i) == '-') {
            sign = -1;
            i++;
        }
        long intValue = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            intValue = intValue * 10 + (s.charAt(i++) - '0');
        }
        double frac = 0;
        int decimals = 0;
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                if (decimals < MAX_DECIMALS) {
                    frac = frac * 10.0 + (s.charAt(i) - '0');
                    decimals++;
                }
                i++;
            }
        }
        double value = (intValue + frac * POW10[decimals]) * sign;
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            value *= Math.pow(10.0, Integer.parseInt(s.substring(i + 1)));
        }
        return value;
    }
}
