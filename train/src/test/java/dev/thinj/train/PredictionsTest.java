package dev.thinj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.Model;
import dev.thinj.model.config.Config;
import dev.thinj.model.registry.Registry;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.ops.ShapeException;
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

        /** @return the first {@code count} rows, row-major */
        static float[] all(int count) {
            float[] rows = new float[count * WIDTH];
            new CountingRows(count).read(rows, count);
            return rows;
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

            float[] all = CountingRows.all(rows);
            int[] expected = Predictions.classes(model, RowChunks.of(ops, all, rows, WIDTH));
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
    void chunkedClassesAndValuesAreWhatOnePredictOverAllRowsGives() {
        try (OpsScope cpu = Ops.use("cpu")) {
            Ops ops = cpu.ops();
            Model<FloatArray, FloatArray> model = model(ops);
            int rows = 2 * Predictions.CHUNK + 123;
            float[] all = CountingRows.all(rows);
            FloatArray whole = model.predict(ops.asArray(all, rows, WIDTH));
            try (RowChunks chunks = RowChunks.of(ops, all, rows, WIDTH)) {
                assertThat(Predictions.values(model, chunks)).containsExactly(whole.toFloatArray());
                assertThat(Predictions.classes(model, chunks)).containsExactly(ops.argmax(whole).toIntArray());
            }
        }
    }

    @Test
    void rowChunksCutTheRowsOnceInOrderAndCloseWithIt() {
        try (OpsScope cpu = Ops.use("cpu")) {
            Ops ops = cpu.ops();
            int rows = Predictions.CHUNK + 5;
            float[] all = CountingRows.all(rows);
            RowChunks chunks = RowChunks.of(ops, all, rows, WIDTH);
            assertThat(chunks.rows()).isEqualTo(rows);
            assertThat(chunks.chunks()).extracting(c -> c.dim(0)).containsExactly(Predictions.CHUNK, 5);
            float[] joined = new float[all.length];
            int at = 0;
            for (FloatArray c : chunks.chunks()) {
                assertThat(c.dim(1)).isEqualTo(WIDTH);
                float[] part = c.toFloatArray();
                System.arraycopy(part, 0, joined, at, part.length);
                at += part.length;
            }
            assertThat(joined).containsExactly(all);
            chunks.close();
            assertThat(chunks.chunks()).allMatch(FloatArray::isClosed);
            chunks.close();
        }
    }

    @Test
    void rowChunksOfNoRowsHoldNoChunkAndPredictNothing() {
        try (OpsScope cpu = Ops.use("cpu"); RowChunks none = RowChunks.of(cpu.ops(), new float[0], 0, WIDTH)) {
            assertThat(none.chunks()).isEmpty();
            assertThat(Predictions.classes(model(cpu.ops()), none)).isEmpty();
            assertThat(Predictions.values(model(cpu.ops()), none)).isEmpty();
        }
    }

    @Test
    void rowChunksRefuseValuesThatAreNotRowsTimesWidth() {
        try (OpsScope cpu = Ops.use("cpu")) {
            assertThatThrownBy(() -> RowChunks.of(cpu.ops(), new float[7], 2, WIDTH))
                    .isInstanceOf(ShapeException.class).hasMessageContaining("7 values are not 2 rows of 3");
            assertThatThrownBy(() -> RowChunks.of(cpu.ops(), new float[0], 0, 0))
                    .isInstanceOf(ShapeException.class).hasMessageContaining("rows of 0");
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
