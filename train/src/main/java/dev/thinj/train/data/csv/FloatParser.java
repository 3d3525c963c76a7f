package dev.thinj.train.data.csv;

/**
 * Parses a decimal number from a slice of characters without making a String, as
 * {@link Float#parseFloat} would round it: {@code [+-]digits[.digits][(e|E)[+-]digits]} (either
 * side of the point may be empty, not both), with surrounding spaces. Anything else (empty,
 * {@code nan}, {@code inf}, hex, a Java {@code f} suffix, a thousands separator) is not a number.
 *
 * <p>The common case (at most 18 significant digits, a small exponent) is Clinger's fast path:
 * the digits as an exact long, scaled by an exact power of ten in one correctly rounded double
 * operation. That double is then rounded to float; the two roundings agree unless the double
 * lands exactly on a midpoint between two floats, and that rare case (and every long or extreme
 * number) falls back to {@link Float#parseFloat}, so results are always those of the JDK.
 */
final class FloatParser {
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private FloatParser() {
    }

    /**
     * @param buf the characters (not modified)
     * @param off the first
     * @param len how many
     * @return the number, rounded to float; {@link Float#NaN} when the slice is not a finite decimal
     *     number (NaN is never a result otherwise, since the text {@code nan} is refused)
     */
    static float parse(char[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && buf[i] == ' ') {
            i++;
        }
        while (end > i && buf[end - 1] == ' ') {
            end--;
        }
        int start = i;
        boolean negative = false;
        if (i < end && (buf[i] == '+' || buf[i] == '-')) {
            negative = buf[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int significant = 0;
        int exponent = 0;
        boolean exact = true;
        for (; i < end && isDigit(buf[i]); i++, digits++) {
            if (significant < 18) {
                if (mantissa != 0 || buf[i] != '0') {
                    significant++;
                }
                mantissa = mantissa * 10 + (buf[i] - '0');
            } else {
                exponent++;
                exact &= buf[i] == '0';
            }
        }
        if (i < end && buf[i] == '.') {
            i++;
            for (; i < end && isDigit(buf[i]); i++, digits++) {
                if (significant < 18) {
                    if (mantissa != 0 || buf[i] != '0') {
                        significant++;
                    }
                    mantissa = mantissa * 10 + (buf[i] - '0');
                    exponent--;
                } else {
                    exact &= buf[i] == '0';
                }
            }
        }
        if (digits == 0) {
            return Float.NaN;
        }
        if (i < end && (buf[i] == 'e' || buf[i] == 'E')) {
            i++;
            boolean negExp = false;
            if (i < end && (buf[i] == '+' || buf[i] == '-')) {
                negExp = buf[i] == '-';
                i++;
            }
            int expDigits = 0;
            int e = 0;
            for (; i < end && isDigit(buf[i]); i++, expDigits++) {
                // Past a few digits the value is 0 or infinite anyway; saturate rather than overflow.
                e = Math.min(e * 10 + (buf[i] - '0'), 100_000);
            }
            if (expDigits == 0) {
                return Float.NaN;
            }
            exponent += negExp ? -e : e;
        }
        if (i != end) {
            return Float.NaN;
        }
        if (exact && mantissa < (1L << 53) && exponent >= -22 && exponent <= 22) {
            double d = exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
            if (mantissa == 0 || !onFloatMidpoint(d)) {
                float f = (float) d;
                if (!Float.isInfinite(f)) {
                    return negative ? -f : f;
                }
            }
        }
        float f = Float.parseFloat(new String(buf, start, end - start));
        return Float.isInfinite(f) ? Float.NaN : f;
    }

    /**
     * @return whether rounding {@code d} to float is a tie (its bits below float precision are
     *     exactly one half), or {@code d} is where float precision shrinks (subnormal): the cases
     *     where rounding decimal to double to float may differ from rounding decimal to float
     */
    private static boolean onFloatMidpoint(double d) {
        if (d < 0x1p-125) {
            return true;
        }
        long bits = Double.doubleToRawLongBits(d);
        // A double has 52 fraction bits, a float 23: the 29 low bits decide the rounding.
        return (bits & ((1L << 29) - 1)) == 1L << 28;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
