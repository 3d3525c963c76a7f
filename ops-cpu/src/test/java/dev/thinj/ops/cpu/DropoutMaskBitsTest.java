package dev.thinj.ops.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.CounterRandom;
import dev.thinj.ops.FloatArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The branch-free CPU dropout mask has the bits of the obvious comparison {@code uniform(seed, i) >= rate
 * ? 1 / (1 - rate) : 0}, at rates whose threshold lands on, just above and just below a 24-bit draw.
 */
class DropoutMaskBitsTest {
    private static CpuOps ops;

    @BeforeAll
    static void open() {
        ops = new CpuOps(2);
    }

    @AfterAll
    static void close() {
        ops.close();
    }

    @Test
    void sameBitsAsTheFloatComparison() {
        float[] rates = {Float.MIN_VALUE, 1e-7f, 0x1.0p-24f, 0.1f, 0.2f, 0.25f, 0.5f, 0.3333333f, 0.9f,
            Math.nextDown(1f), 0.5f + 0x1.0p-24f, 0.5f - 0x1.0p-24f};
        long seed = 11;
        for (float rate : rates) {
            // 300,000 cells: more than one chunk of the kernel pool, so both halves are checked.
            try (FloatArray m = ops.dropoutMask(rate, seed, 600, 500)) {
                float[] got = m.toFloatArray();
                float keep = (float) (1.0 / (1.0 - rate));
                for (int i = 0; i < got.length; i++) {
                    float expected = CounterRandom.uniform(seed, i) >= rate ? keep : 0f;
                    if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(expected)) {
                        assertThat(got[i]).as("rate %s, seed %d, cell %d", rate, seed, i).isEqualTo(expected);
                    }
                }
            }
            seed++;
        }
    }
}
