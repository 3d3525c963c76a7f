package dev.thinj.ops.conformance;

import dev.thinj.ops.Shapes;
import java.util.Arrays;
import java.util.Random;

/**
 * Seeded random inputs. Each test case seeds its own generator from its kernel name and shape, so
 * a failure reproduces by rerunning that one case, in any order. Every value is a float widened to
 * double, so the reference sees exactly what the backend sees.
 */
final class RandomArrays {
    /** Values an activation must get right beyond the bulk: zero, Thinc's sigmoid clip, saturation. */
    private static final float[] SPECIAL = {0f, -0f, 20f, -20f, 25f, -25f, 88f, -88f, 1e-6f, -1e-6f};

    private final Random random;

    private RandomArrays(long seed) {
        this.random = new Random(seed);
    }

    /**
     * @param kernel the kernel under test
     * @param shape the case's shape (or any ints identifying the case)
     * @return a generator seeded from both
     */
    static RandomArrays forCase(String kernel, int... shape) {
        return new RandomArrays(kernel.hashCode() * 1_000_003L + Arrays.hashCode(shape));
    }

    /** @return the underlying generator, for choices that are not arrays */
    Random random() {
        return random;
    }

    /**
     * @param shape dimensions
     * @param low inclusive
     * @param high exclusive
     * @return uniform values
     */
    HostArray uniform(int[] shape, float low, float high) {
        float[] v = new float[Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = low + (high - low) * random.nextFloat();
        }
        return HostArray.of(v, shape);
    }

    /**
     * @param shape dimensions
     * @return uniform values in [-1, 1)
     */
    HostArray uniform(int... shape) {
        return uniform(shape, -1f, 1f);
    }

    /**
     * Inputs for activations: uniform in [-6, 6) with about one element in eight replaced by a
     * special value (zero, the sigmoid clip at 20, large magnitudes).
     *
     * @param shape dimensions
     * @return the inputs
     */
    HostArray activationInputs(int... shape) {
        HostArray h = uniform(shape, -6f, 6f);
        for (int i = 0; i < h.size(); i++) {
            if (random.nextInt(8) == 0) {
                h.data()[i] = SPECIAL[random.nextInt(SPECIAL.length)];
            }
        }
        return h;
    }

    /**
     * Integer values from a small range, so maxima tie often and the first-index rule is tested.
     *
     * @param shape dimensions
     * @param low inclusive
     * @param high inclusive
     * @return the values as floats
     */
    HostArray integers(int[] shape, int low, int high) {
        double[] d = new double[Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = low + random.nextInt(high - low + 1);
        }
        return new HostArray(d, shape.clone());
    }

    /**
     * @param n how many
     * @param low inclusive
     * @param high exclusive
     * @return random ints
     */
    int[] ints(int n, int low, int high) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = low + random.nextInt(high - low);
        }
        return r;
    }

    /**
     * Splits {@code total} rows into {@code sequences} lengths.
     *
     * @param total the sum of the lengths
     * @param sequences how many lengths
     * @param allowEmpty whether a length may be 0
     * @return the lengths
     */
    int[] lengths(int total, int sequences, boolean allowEmpty) {
        int[] r = new int[sequences];
        int min = allowEmpty ? 0 : 1;
        int left = total - min * sequences;
        if (left < 0) {
            throw new IllegalArgumentException("cannot split " + total + " rows into " + sequences + " non-empty sequences");
        }
        for (int i = 0; i < sequences; i++) {
            r[i] = min;
        }
        for (int k = 0; k < left; k++) {
            r[random.nextInt(sequences)]++;
        }
        return r;
    }
}
