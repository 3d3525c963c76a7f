package dev.thinj.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link EvaluationBenchmark} predicts every row once, in the chunks it was given. */
class EvaluationBenchmarkTest {
    @Test
    void theChunksHoldEveryRowAndPredictWhatOnePredictOverAllRowsDoes() {
        EvaluationBenchmark e = new EvaluationBenchmark();
        e.chunk = 4096;
        e.setup();
        try {
            assertThat(e.chunks).extracting(c -> c.dim(0)).containsExactly(4096, 4096, 1808);
            Ops ops = e.model.ops();
            float[] all = new float[10_000 * 784];
            int at = 0;
            for (FloatArray c : e.chunks) {
                float[] part = c.toFloatArray();
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            long whole = 0;
            try (ArrayScope scope = ops.scope()) {
                int[] classes = ops.argmax(e.model.predict(ops.asArray(all, 10_000, 784))).toIntArray();
                assertThat(classes).hasSize(10_000);
                // More than one class: the sum below then tells a dropped or repeated chunk apart.
                assertThat(Arrays.stream(classes).distinct().count()).isGreaterThan(1);
                for (int c : classes) {
                    whole += c;
                }
            }
            assertThat(e.classes()).isEqualTo(whole).isEqualTo(e.classes());
        } finally {
            e.tearDown();
        }
        assertThat(e.chunks).isEmpty();
    }
}
