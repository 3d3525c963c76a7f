package dev.thinj.train.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The held-out share: a partition of the rows, of the rounded size, fixed by the seed. */
class DevSplitTest {
    @Test
    void partsPartitionTheRowsKeepingFileOrderAndTargets() {
        for (long seed = 0; seed < 200; seed++) {
            Random r = new Random(seed);
            int n = 2 + r.nextInt(60);
            int w = 1 + r.nextInt(3);
            float[] x = new float[n * w];
            float[] y = new float[n * 2];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < w; j++) {
                    x[i * w + j] = i * 10 + j;
                }
                y[2 * i] = i;
                y[2 * i + 1] = -i;
            }
            double fraction = 0.01 + r.nextDouble() * 0.98;
            DevSplit.Parts p = DevSplit.split(Split.regression(n, w, x, y, 2), fraction, seed, "f");
            int held = (int) Math.max(1, Math.min(n - 1, Math.round(n * fraction)));
            assertThat(p.test().count()).as("seed " + seed).isEqualTo(held);
            assertThat(p.train().count()).as("seed " + seed).isEqualTo(n - held);
            Set<Integer> seen = new HashSet<>();
            for (Split s : new Split[] {p.train(), p.test()}) {
                int last = -1;
                for (int k = 0; k < s.count(); k++) {
                    int row = (int) s.features()[k * w] / 10;
                    assertThat(row).as("seed " + seed + ": file order").isGreaterThan(last);
                    last = row;
                    assertThat(seen.add(row)).as("seed " + seed + ": each row once").isTrue();
                    assertThat(s.features()[k * w + w - 1]).isEqualTo(row * 10 + w - 1);
                    assertThat(s.targets()[2 * k + 1]).isEqualTo(-row);
                }
            }
            assertThat(seen).hasSize(n);
        }
    }
}
