package dev.thinj.train.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Appends of any sizes across block boundaries give the values back in order. */
class GrowingFloatsTest {
    @Test
    void appendsAcrossBlocksKeepEveryValueInOrder() {
        for (long seed = 0; seed < 5; seed++) {
            Random r = new Random(seed);
            GrowingFloats g = new GrowingFloats(r.nextInt(100));
            int total = 0;
            float[] src = new float[5000];
            while (total < 3_000_000) {
                int n = r.nextInt(src.length);
                int from = r.nextInt(src.length - n + 1);
                for (int i = 0; i < n; i++) {
                    src[from + i] = total + i;
                }
                if (r.nextInt(10) == 0) {
                    g.add(total, "x");
                    total++;
                } else {
                    g.append(src, from, n, "x");
                    total += n;
                }
            }
            float[] all = g.toArray();
            assertThat(g.size()).isEqualTo(total);
            assertThat(all).hasSize(total);
            for (int i = 0; i < total; i += 997) {
                assertThat(all[i]).as("seed " + seed + " index " + i).isEqualTo((float) i);
            }
            assertThat(all[total - 1]).isEqualTo((float) (total - 1));
        }
    }
}
