package dev.thinj.ops.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The branch-free ReLU backward gives the bits of {@code y > 0 ? dY : 0f} for every float. */
class ReluBackwardBitsTest {
    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0x7FC00001), Float.intBitsToFloat(0xFFC00000), 1f, -1f};

    @Test
    void sameBitsAsTheComparisonForSpecialAndRandomValues() {
        for (long seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            int n = 4096;
            float[] y = new float[n];
            float[] dY = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = i < SPECIAL.length ? SPECIAL[i] : Float.intBitsToFloat(r.nextInt());
                dY[i] = r.nextInt(8) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : Float.intBitsToFloat(r.nextInt());
            }
            float[] dX = new float[n];
            ActivationMath.backpropRelu(dY, y, dX, 0, n);
            for (int i = 0; i < n; i++) {
                float expected = y[i] > 0f ? dY[i] : 0f;
                assertThat(Float.floatToRawIntBits(dX[i])).as("seed %d, y=%s, dY=%s", seed, y[i], dY[i])
                        .isEqualTo(Float.floatToRawIntBits(expected));
            }
        }
    }
}
