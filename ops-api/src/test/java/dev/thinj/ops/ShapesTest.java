package dev.thinj.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapesTest {
    @Test
    void sizesAndFormatting() {
        assertThat(Shapes.checkedSize("k", 2, 3, 4)).isEqualTo(24);
        assertThat(Shapes.checkedSize("k", 0, 5)).isZero();
        assertThat(Shapes.format(2, 3)).isEqualTo("(2, 3)");
        assertThat(Shapes.format(7)).isEqualTo("(7,)");
    }

    @Test
    void badShapesNameTheCaller() {
        assertThatThrownBy(() -> Shapes.checkedSize("alloc")).isInstanceOf(ShapeException.class)
                .hasMessageContaining("alloc").hasMessageContaining("rank");
        assertThatThrownBy(() -> Shapes.checkedSize("alloc", 1, 2, 3, 4, 5)).isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Shapes.checkedSize("alloc", 3, -1)).isInstanceOf(ShapeException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> Shapes.checkedSize("alloc", 1 << 16, 1 << 16)).isInstanceOf(ShapeException.class)
                .hasMessageContaining("2^31");
    }

    @Test
    void reshapeInfersOneDimension() {
        assertThat(Shapes.reshaped("reshape", new int[] {4, 6}, -1, 3)).containsExactly(8, 3);
        assertThat(Shapes.reshaped("reshape", new int[] {4, 6}, 2, 2, 6)).containsExactly(2, 2, 6);
        assertThatThrownBy(() -> Shapes.reshaped("reshape", new int[] {4, 6}, 5, 5))
                .isInstanceOf(ShapeException.class).hasMessageContaining("(4, 6)").hasMessageContaining("(5, 5)");
    }

    @Test
    void counterRandomIsDeterministicAndUniformLooking() {
        assertThat(CounterRandom.uniform(42, 7)).isEqualTo(CounterRandom.uniform(42, 7));
        assertThat(CounterRandom.uniform(42, 7)).isNotEqualTo(CounterRandom.uniform(43, 7));
        double sum = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            float u = CounterRandom.uniform(1, i);
            assertThat(u).isBetween(0f, 1f).isLessThan(1f);
            sum += u;
        }
        assertThat(sum / n).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
    }
}
