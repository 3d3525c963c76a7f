package dev.thinj.ops.batching;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays {@code fixtures/thinc_batches.json} (made by {@code make_batch_fixtures.py} with Thinc
 * 8.1.7): for each case, the sizes Thinc drew, its batch count ({@code len(SizedGenerator)}) and the
 * rows of each batch of {@code minibatch} and {@code multibatch}, over successive calls sharing one
 * size generator.
 */
class ThincBatchFixturesTest {
    private static final JsonNode FIXTURES = load();

    private static JsonNode load() {
        try (InputStream in = ThincBatchFixturesTest.class.getResourceAsStream("/fixtures/thinc_batches.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read thinc_batches.json", e);
        }
    }

    static Stream<String> cases() {
        List<String> names = new ArrayList<>();
        FIXTURES.get("cases").forEach(c -> names.add(c.get("name").asText()));
        return names.stream();
    }

    private static JsonNode fixture(String name) {
        for (JsonNode c : FIXTURES.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** Thinc 8's compounding generator, step by step as Python computes it (not via pow). */
    private static Iterator<Double> thincCompounding(double start, double stop, double compound) {
        return new Iterator<>() {
            private double curr = start;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Double next() {
                double clipped = start > stop ? Math.max(curr, stop) : Math.min(curr, stop);
                curr *= compound;
                return clipped;
            }
        };
    }

    /** The size source the case describes; one per case, shared by its calls as Thinc's generator is. */
    private static BatchSizes sizes(JsonNode spec) {
        switch (spec.get("kind").asText()) {
            case "int":
                return BatchSizes.fixed(spec.get("value").asInt());
            case "list": {
                List<Double> values = new ArrayList<>();
                spec.get("values").forEach(v -> values.add(v.asDouble()));
                return BatchSizes.from(values.iterator());
            }
            case "compounding":
                return BatchSizes.from(thincCompounding(spec.get("start").asDouble(), spec.get("stop").asDouble(),
                        spec.get("compound").asDouble()));
            default:
                throw new IllegalArgumentException(spec.toString());
        }
    }

    /** Records what minibatch drew. */
    private static final class Drawing implements BatchSizes {
        private final BatchSizes inner;
        private final List<Double> drawn = new ArrayList<>();

        Drawing(BatchSizes inner) {
            this.inner = inner;
        }

        @Override
        public double next() {
            double v = inner.next();
            drawn.add(v);
            return v;
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asInt()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void minibatchDrawsSizesAndCutsBatchesAsThinc(String name) {
        JsonNode c = fixture(name);
        int length = c.get("length").asInt();
        BatchSizes shared = sizes(c.get("size"));
        BatchSizes sharedMulti = sizes(c.get("size"));
        RecordingStaging.Factory stagings = new RecordingStaging.Factory();
        int call = 0;
        for (JsonNode expected : c.get("calls")) {
            String what = name + ", call " + (call++);
            Drawing drawing = new Drawing(shared);
            SizedBatches<List<Integer>> batches = SizedBatches.create(stagings::get, drawing,
                    BatchSource.of(TestSources.range(length)), BatchOptions.defaults());

            assertThat(batches.size()).as(what + ": number of batches").isEqualTo(expected.get("count").asInt());
            if (!expected.get("drawn").isNull()) {
                List<Double> thinc = new ArrayList<>();
                expected.get("drawn").forEach(v -> thinc.add(v.asDouble()));
                assertThat(drawing.drawn).as(what + ": sizes drawn").containsExactlyElementsOf(thinc);
            }
            List<Integer> lengths = new ArrayList<>();
            List<Integer> visited = new ArrayList<>();
            for (List<Integer> b : batches) {
                lengths.add(b.size());
                visited.addAll(b);
            }
            assertThat(lengths).as(what + ": rows per batch").containsExactlyElementsOf(ints(expected.get("lengths")));
            assertThat(visited).as(what + ": unshuffled batches are consecutive rows from 0")
                    .containsExactlyElementsOf(TestSources.range(visited.size()));

            SizedBatches<Batch> multi = SizedBatches.create(stagings::get, sharedMulti,
                    BatchSource.together(TestSources.range(length), TestSources.range(length)),
                    BatchOptions.defaults().buffer(3));
            List<Integer> multiLengths = new ArrayList<>();
            for (Batch b : multi) {
                assertThat(b.list(0)).as(what + ": multibatch parts cut by the same rows").isEqualTo(b.list(1));
                multiLengths.add(b.rows());
            }
            assertThat(multiLengths).as(what + ": multibatch rows per batch")
                    .containsExactlyElementsOf(ints(expected.get("multibatch_lengths")));
        }
        stagings.all().forEach(RecordingStaging::assertEndedCleanly);
    }

    @Test
    void theFixturesComeFromThinc817() {
        assertThat(FIXTURES.get("thinc_version").asText()).isEqualTo("8.1.7");
        assertThat(cases()).as("cases").hasSizeGreaterThanOrEqualTo(10);
    }
}
