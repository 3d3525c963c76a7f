package dev.thinj.ops.conformance;

import dev.thinj.ops.Shapes;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * The shapes every kernel is run on: the trivial 1x1, odd sizes that defeat vector widths and
 * blocking (7x13, 33x65), one large enough to cross any sensible parallel split threshold
 * (300x700 = 210,000 elements) and empty batches of zero rows. Referenced from
 * {@code @MethodSource} by fully qualified name.
 */
final class ConformanceShapes {
    private ConformanceShapes() {
    }

    /** @return shapes of rank 1 to 4 for elementwise kernels, empty ones included */
    static Stream<Named<int[]>> anyRank() {
        return named(new int[] {1}, new int[] {0}, new int[] {1, 1}, new int[] {7, 13}, new int[] {33, 65},
                new int[] {300, 700}, new int[] {0, 13}, new int[] {3, 4, 5}, new int[] {2, 3, 4, 5});
    }

    /** @return 2-d (batch, width) shapes, the empty batch included */
    static Stream<Named<int[]>> matrices() {
        return named(new int[] {1, 1}, new int[] {7, 13}, new int[] {33, 65}, new int[] {300, 700}, new int[] {0, 13});
    }

    /** @return 2-d shapes with at least one row */
    static Stream<Named<int[]>> nonEmptyMatrices() {
        return matrices().filter(n -> n.getPayload()[0] > 0);
    }

    /** @return (m, k, n) of a product, zero extents in each position included */
    static Stream<Named<int[]>> gemmDims() {
        return Stream.of(new int[] {1, 1, 1}, new int[] {2, 1, 3}, new int[] {7, 13, 5}, new int[] {33, 65, 17},
                new int[] {300, 700, 40}, new int[] {300, 70, 700}, new int[] {0, 13, 5}, new int[] {7, 0, 5},
                new int[] {7, 13, 0}).map(d -> Named.of("m=" + d[0] + " k=" + d[1] + " n=" + d[2], d));
    }

    /** @return (batch, nO, nP) maxout inputs, the empty batch included */
    static Stream<Named<int[]>> maxoutShapes() {
        return named(new int[] {1, 1, 1}, new int[] {7, 13, 3}, new int[] {33, 65, 4}, new int[] {300, 70, 10},
                new int[] {0, 5, 2});
    }

    /**
     * @return (total rows, width, sequences) for sequence reductions: single rows, odd splits, a
     *     large batch and no sequences at all
     */
    static Stream<Named<int[]>> sequenceShapes() {
        return Stream.of(new int[] {1, 1, 1}, new int[] {13, 7, 4}, new int[] {65, 33, 9}, new int[] {700, 300, 37},
                new int[] {0, 5, 0}).map(d -> Named.of("rows=" + d[0] + " width=" + d[1] + " sequences=" + d[2], d));
    }

    static Stream<Named<int[]>> named(int[]... shapes) {
        return Stream.of(shapes).map(s -> Named.of(Shapes.format(s), s));
    }
}
