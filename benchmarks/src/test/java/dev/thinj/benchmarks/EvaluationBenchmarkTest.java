package dev.thinj.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.Ops;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link EvaluationBenchmark} predicts the classes of all its rows, as one predict over them gives. */
class EvaluationBenchmarkTest {
    @Test
    void theBenchmarkPredictsEveryRowAsOnePredictOverAllRowsDoes() {
        EvaluationBenchmark e = new EvaluationBenchmark();
        e.setup();
        try {
            Ops ops = e.model.ops();
            int[] whole;
            try (ArrayScope scope = ops.scope()) {
                whole = ops.argmax(e.model.predict(ops.asArray(e.x, EvaluationBenchmark.ROWS,
                        EvaluationBenchmark.PIXELS))).toIntArray();
            }
            // More than one class: a dropped, repeated or reordered chunk then shows.
            assertThat(Arrays.stream(whole).distinct().count()).isGreaterThan(1);
            assertThat(e.classes()).containsExactly(whole);
            assertThat(e.classes()).containsExactly(whole);
        } finally {
            e.tearDown();
        }
        assertThat(e.rows.chunks()).allMatch(c -> c.isClosed());
    }
}
