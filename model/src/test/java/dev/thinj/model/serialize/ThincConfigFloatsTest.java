package dev.thinj.model.serialize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The doubles Thinc's config parser (srsly's ujson) gives the shortest decimals of float32 values. */
class ThincConfigFloatsTest {
    @Test
    void readsDecimalsAsUjsonDoes() {
        // Checked against srsly.json_loads in Thinc 8.1.7's Python.
        assertThat(ThincConfigFloats.of(0.3f)).isEqualTo(0.30000000000000004);
        assertThat(ThincConfigFloats.of(0.7f)).isEqualTo(0.7000000000000001);
        assertThat(ThincConfigFloats.of(0.2f)).isEqualTo(0.2);
        assertThat(ThincConfigFloats.of(0.5f)).isEqualTo(0.5);
        assertThat(ThincConfigFloats.of(2f)).isEqualTo(2.0);
        assertThat(ThincConfigFloats.of(0.001f)).isEqualTo(0.001);
        assertThat(ThincConfigFloats.of(1e-8f)).isEqualTo(1e-8);
        assertThat(ThincConfigFloats.of(-1.5f)).isEqualTo(-1.5);
        assertThat(ThincConfigFloats.of(0f)).isEqualTo(0.0);
    }

    @Test
    void writesTheShortestDecimalAsPythonDoes() {
        assertThat(ThincConfigFloats.shortest(0.3f)).isEqualTo("0.3");
        assertThat(ThincConfigFloats.shortest(2f)).isEqualTo("2.0");
        assertThat(ThincConfigFloats.shortest(1e-8f)).isEqualTo("1e-8");
        assertThat(ThincConfigFloats.shortest(12345f)).isEqualTo("12345.0");
    }

    @Test
    void everyValueReadsBackAsTheSameFloat() {
        Random r = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (!Float.isFinite(f)) {
                continue;
            }
            assertThat((float) ThincConfigFloats.of(f)).as("%s (bits %08x)", f, Float.floatToRawIntBits(f))
                    .isEqualTo(f);
        }
    }
}
