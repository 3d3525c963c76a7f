package dev.thinj.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Summing along a fixed tree: the same bits in whatever order and grouping the parts arrive. */
class TreeSumTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void anyArrivalOrderGivesTheSameBits(long seed) {
        Random r = new Random(seed);
        int partitions = 1 + r.nextInt(9);
        List<TreeSum.Part> parts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            float[] v = new float[5];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
            }
            boolean empty = r.nextInt(4) == 0;
            parts.add(empty ? new TreeSum.Part(null, null, 0, 0, 1) : new TreeSum.Part(v, new boolean[] {p % 2 == 0},
                    r.nextDouble(), 1 + r.nextInt(10), p));
        }
        TreeSum.Part reference = sumInOrder(parts, partitions, identity(partitions), 1);
        for (int t = 0; t < 20; t++) {
            List<Integer> order = identity(partitions);
            Collections.shuffle(order, r);
            TreeSum.Part other = sumInOrder(parts, partitions, order, 1 + r.nextInt(4));
            assertThat(other.values()).as("seed %d, order %s", seed, order).containsExactly(reference.values());
            assertThat(other.loss()).isEqualTo(reference.loss());
            assertThat(other.rows()).isEqualTo(reference.rows());
            assertThat(other.present()).isEqualTo(reference.present());
        }
        long rows = parts.stream().mapToLong(TreeSum.Part::rows).sum();
        assertThat(reference.rows()).isEqualTo(rows);
    }

    /** Adds the parts in the given order into {@code groups} partial sums, then merges those. */
    private static TreeSum.Part sumInOrder(List<TreeSum.Part> parts, int partitions, List<Integer> order, int groups) {
        List<TreeSum> partial = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            partial.add(new TreeSum(partitions));
        }
        for (int i = 0; i < order.size(); i++) {
            partial.get(i % groups).add(order.get(i), parts.get(order.get(i)));
        }
        TreeSum all = new TreeSum(partitions);
        for (TreeSum p : partial) {
            all.merge(p);
        }
        return all.total();
    }

    private static List<Integer> identity(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    @Test
    void aMissingPartitionIsAnErrorNotAPartialSum() {
        TreeSum s = new TreeSum(3).add(0, new TreeSum.Part(new float[] {1}, null, 0, 1, 0));
        assertThatThrownBy(s::total).isInstanceOf(IllegalStateException.class).hasMessageContaining("lacks partitions");
        assertThatThrownBy(() -> s.add(0, new TreeSum.Part(null, null, 0, 0, 0)))
                .hasMessageContaining("reported twice");
        assertThatThrownBy(() -> s.add(3, new TreeSum.Part(null, null, 0, 0, 0))).hasMessageContaining("partition 3");
    }
}
