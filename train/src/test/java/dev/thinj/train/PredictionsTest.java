package dev.thinj.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.Model;
import dev.thinj.model.config.Config;
import dev.thinj.model.registry.Registry;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.data.FeatureRows;
import dev.thinj.train.eval.PredictionWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Predictions over many rows: chunked, in bounded memory, the same as one call over everything. */
class PredictionsTest {
    private static final int WIDTH = 3;

    /** Rows {@code i} = (i, -i, 1) / 1000, handed out as asked; records the largest request. */
    static final class CountingRows implements FeatureRows {
        final int count;
        int next;
        int largestRequest;

        CountingRows(int count) {
            this.count = count;
        }

        @Override
        public int width() {
            return WIDTH;
        }

        @Override
        public String source() {
            return "counting rows";
        }

        @Override
        public int read(float[] buffer, int maxRows) {
            largestRequest = Math.max(largestRequest, maxRows);
            int n = Math.min(maxRows, count - next);
            for (int r = 0; r < n; r++, next++) {
                buffer[r * WIDTH] = next / 1000f;
                buffer[r * WIDTH + 1] = -next / 1000f;
                buffer[r * WIDTH + 2] = 1;
            }
            return n;
        }

        @Override
        public void close() {
        }
    }

    @SuppressWarnings("unchecked")
    private static Model<FloatArray, FloatArray> model(Ops ops) {
        dev.thinj.model.RandomSeeds.fix(5);
        Model<FloatArray, FloatArray> m = Registry.global().resolve(Config.parse(String.join("\n", "[model]",
                "@layers = \"chain.v1\"", "[model.*.h]", "@layers = \"Relu.v1\"", "nO = 8", "nI = 3",
                "[model.*.o]", "@layers = \"Softmax.v1\"", "nO = 4", "nI = 8", ""))).get("model", Model.class);
        m.initialize();
        return m;
    }

    @Test
    void streamingAFileReadsAChunkAtATimeAndPredictsWhatOneCallWould() {
        try (OpsScope cpu = Ops.use("cpu")) {
            Ops ops = cpu.ops();
            Model<FloatArray, FloatArray> model = model(ops);
            int rows = 2 * Predictions.CHUNK + 123;
            CountingRows input = new CountingRows(rows);
            StringWriter out = new StringWriter();
            List<String> names = List.of("a", "b", "c", "d");
            try (PredictionWriter writer = PredictionWriter.classification(out, names, false)) {
                assertThat(Predictions.stream(model, input, writer, Long.MAX_VALUE)).isEqualTo(rows);
            }
            assertThat(input.largestRequest).isEqualTo(Predictions.CHUNK);

            float[] all = new float[rows * WIDTH];
            new CountingRows(rows).read(all, rows);
            int[] expected = Predictions.classes(model, ops.asArray(all, rows, WIDTH));
            List<String> lines = out.toString().lines().toList();
            assertThat(lines).hasSize(rows + 1);
            List<String> wanted = new ArrayList<>();
            for (int e : expected) {
                wanted.add(names.get(e));
            }
            assertThat(lines.subList(1, lines.size())).isEqualTo(wanted);
        }
    }

    @Test
    void aLimitStopsReading() {
        try (OpsScope cpu = Ops.use("cpu")) {
            CountingRows input = new CountingRows(10_000);
            StringWriter out = new StringWriter();
            try (PredictionWriter writer = PredictionWriter.regression(out, 4)) {
                assertThat(Predictions.stream(model(cpu.ops()), input, writer, 7)).isEqualTo(7);
            }
            assertThat(input.next).isEqualTo(7);
            assertThat(out.toString().lines()).hasSize(8);
        }
    }
}
