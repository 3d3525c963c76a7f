package dev.thinj.cli;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * Seeded mutations of files for the cli readers' fuzz tests: truncation, bit flips, overwritten
 * fields, spliced runs of bytes, changed characters. Each takes the {@link Random} to draw from, so a
 * failing try is reproduced by its seed alone. (The model module's tests have the same helper; the
 * modules share no test code.)
 */
public final class Mutations {
    /** Counts and lengths that break readers: signs, powers of two, products that overflow int. */
    public static final int[] HOSTILE_INTS = {
        0, 1, -1, 2, -2, 3, 7, 8, 255, 256, 65_535, 65_536, 46_341, 1 << 20, 1 << 24, 0x1000_0000,
        0x4000_0000, Integer.MAX_VALUE, Integer.MAX_VALUE - 8, Integer.MIN_VALUE, Integer.MIN_VALUE + 1,
    };

    private Mutations() {
    }

    /** @return one of {@link #HOSTILE_INTS}, or now and then any int */
    public static int hostileInt(Random r) {
        return r.nextInt(8) == 0 ? r.nextInt() : HOSTILE_INTS[r.nextInt(HOSTILE_INTS.length)];
    }

    /**
     * @param b the bytes (not modified)
     * @param r the random source
     * @return a proper prefix: empty, a few bytes, just short of the end, or anywhere between
     */
    public static byte[] truncate(byte[] b, Random r) {
        if (b.length == 0) {
            return b;
        }
        int n = switch (r.nextInt(3)) {
            case 0 -> r.nextInt(Math.min(b.length, 24));
            case 1 -> b.length - 1 - r.nextInt(Math.min(b.length, 16));
            default -> r.nextInt(b.length);
        };
        return Arrays.copyOf(b, n);
    }

    /**
     * @param b the bytes (not modified)
     * @param r the random source
     * @param flips how many bits to flip (at least 1)
     * @return a copy with that many random bits flipped (a bit may flip back)
     */
    public static byte[] flipBits(byte[] b, Random r, int flips) {
        byte[] out = b.clone();
        for (int i = 0; i < flips && out.length > 0; i++) {
            int bit = r.nextInt(out.length * 8);
            out[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return out;
    }

    /**
     * @param b the bytes (not modified)
     * @param offset where the field starts
     * @param width its width in bytes: 1, 2, 4 or 8
     * @param value the new value, big-endian, cut to the width
     * @return a copy with the field overwritten
     */
    public static byte[] overwrite(byte[] b, int offset, int width, long value) {
        byte[] out = b.clone();
        ByteBuffer buf = ByteBuffer.wrap(out);
        switch (width) {
            case 1 -> buf.put(offset, (byte) value);
            case 2 -> buf.putShort(offset, (short) value);
            case 4 -> buf.putInt(offset, (int) value);
            case 8 -> buf.putLong(offset, value);
            default -> throw new IllegalArgumentException("width " + width);
        }
        return out;
    }

    /**
     * One random edit of any kind: a truncation, bit flips, a random or hostile int written anywhere,
     * a run of random bytes, a run deleted, duplicated or inserted.
     *
     * @param b the bytes (not modified)
     * @param r the random source
     * @return the edited copy, never equal in length and content to {@code b} unless {@code b} is empty
     */
    public static byte[] mutate(byte[] b, Random r) {
        if (b.length < 8) {
            return flipBits(b, r, 1);
        }
        int at = r.nextInt(b.length);
        int run = 1 + r.nextInt(Math.min(16, b.length - at));
        return switch (r.nextInt(7)) {
            case 0 -> truncate(b, r);
            case 1 -> flipBits(b, r, 1 + r.nextInt(4));
            case 2 -> overwrite(b, r.nextInt(b.length - 3), 4, hostileInt(r));
            case 3 -> {
                byte[] out = b.clone();
                for (int i = at; i < at + run; i++) {
                    out[i] = (byte) r.nextInt(256);
                }
                yield Arrays.equals(out, b) ? flipBits(b, r, 1) : out;
            }
            case 4 -> splice(b, at, at + run, new byte[0]);
            case 5 -> splice(b, at, at, Arrays.copyOfRange(b, at, at + run));
            default -> {
                byte[] extra = new byte[run];
                r.nextBytes(extra);
                yield splice(b, at, at, extra);
            }
        };
    }

    /**
     * Runs a read and reports how many bytes it allocated on this thread, to show that a reader
     * given a lying length did not allocate what the length claims.
     *
     * @param read the read
     * @return the bytes allocated, or -1 where the JVM cannot tell
     */
    public static long allocatedBytes(Runnable read) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported() || !mx.isThreadAllocatedMemoryEnabled()) {
            read.run();
            return -1;
        }
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        read.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    /** @return {@code b} with {@code [from, to)} replaced by {@code with} */
    public static byte[] splice(byte[] b, int from, int to, byte[] with) {
        byte[] out = new byte[b.length - (to - from) + with.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(b, to, out, from + with.length, b.length - to);
        return out;
    }

    // ---- text ------------------------------------------------------------------------------------

    /**
     * @param text the text
     * @param r the random source
     * @param alphabet the characters to insert or overwrite with
     * @return the text with one character inserted, overwritten or deleted
     */
    public static String mutateChars(String text, Random r, String alphabet) {
        int at = r.nextInt(text.length() + 1);
        char c = alphabet.charAt(r.nextInt(alphabet.length()));
        return switch (r.nextInt(3)) {
            case 0 -> text.substring(0, at) + c + text.substring(at);
            case 1 -> at < text.length() ? text.substring(0, at) + c + text.substring(at + 1) : text + c;
            default -> at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text;
        };
    }
}
