package dev.thinj.model.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays thinc_schedules.json (written by make_schedule_fixtures.py from Thinc 8.1.7's generators):
 * every case, built with {@link Schedules}, must give Thinc's values at steps 0, 1, 2, ... to a
 * relative 1e-9. We compute in double as Thinc does, so the only differences are the last bits where
 * Thinc accumulates a running product or sum that we compute directly.
 */
class ThincScheduleFixturesTest {
    private static final double RELATIVE = 1e-9;
    private static final JsonNode ROOT = load();

    private static JsonNode load() {
        try (InputStream in = ThincScheduleFixturesTest.class.getResourceAsStream("/fixtures/thinc_schedules.json")) {
            if (in == null) {
                throw new IllegalStateException("fixtures/thinc_schedules.json is not on the test class path");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> cases() {
        List<JsonNode> cases = new ArrayList<>();
        ROOT.get("cases").forEach(cases::add);
        return cases;
    }

    private static double[] expected(JsonNode c) {
        JsonNode values = c.get("values");
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i).doubleValue();
        }
        return v;
    }

    @Test
    void fixturesCoverEveryThinc8ScheduleFromTheExpectedVersion() {
        assertThat(ROOT.get("thinc_version").asText()).isEqualTo("8.1.7");
        Set<String> schedules = new HashSet<>();
        cases().forEach(c -> schedules.add(c.get("schedule").asText()));
        assertThat(schedules).containsExactlyInAnyOrder("constant", "constant_then", "decaying", "compounding",
                "warmup_linear", "slanted_triangular", "cyclic_triangular");
    }

    @TestFactory
    Stream<DynamicTest> valueAtMatchesThinc() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            Schedule schedule = build(c);
            double[] expected = expected(c);
            for (int k = 0; k < expected.length; k++) {
                assertClose(c, k, schedule.valueAt(k), expected[k]);
            }
        }));
    }

    /** A schedule answers any step in any order: walking backwards gives the same values. */
    @TestFactory
    Stream<DynamicTest> valueAtInReverseOrderMatchesThinc() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            Schedule schedule = build(c);
            double[] expected = expected(c);
            for (int k = expected.length - 1; k >= 0; k--) {
                assertClose(c, k, schedule.valueAt(k), expected[k]);
            }
        }));
    }

    /** iterator() is Thinc's generator shape: its n-th value is valueAt(n - 1), bit for bit. */
    @TestFactory
    Stream<DynamicTest> iteratorYieldsTheSameSequence() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            Schedule schedule = build(c);
            double[] expected = expected(c);
            Iterator<Double> it = schedule.iterator();
            for (int k = 0; k < expected.length; k++) {
                assertThat(it.hasNext()).isTrue();
                double value = it.next();
                assertThat(value).as("step %d", k).isEqualTo(schedule.valueAt(k));
                assertClose(c, k, value, expected[k]);
            }
        }));
    }

    private static void assertClose(JsonNode c, int k, double actual, double expected) {
        assertThat(Math.abs(actual - expected))
                .as("%s at step %d: got %s, Thinc gives %s", c.get("name").asText(), k, actual, expected)
                .isLessThanOrEqualTo(RELATIVE * Math.abs(expected));
    }

    /** Builds a case with the factory overload that matches the arguments Thinc was given. */
    static Schedule build(JsonNode spec) {
        Args a = new Args(spec.get("schedule").asText(), spec.get("args"));
        Schedule schedule = switch (a.name) {
            case "constant" -> Schedules.constant(a.num("rate"));
            case "constant_then" -> Schedules.constantThen(a.num("rate"), a.count("steps"), build(a.node("schedule")));
            case "decaying" -> a.has("t")
                    ? Schedules.decaying(a.num("base_rate"), a.num("decay"), a.num("t"))
                    : Schedules.decaying(a.num("base_rate"), a.num("decay"));
            case "compounding" -> a.has("t")
                    ? Schedules.compounding(a.num("start"), a.num("stop"), a.num("compound"), a.num("t"))
                    : Schedules.compounding(a.num("start"), a.num("stop"), a.num("compound"));
            case "warmup_linear" -> Schedules.warmupLinear(
                    a.num("initial_rate"), a.count("warmup_steps"), a.count("total_steps"));
            case "slanted_triangular" -> slantedTriangular(a);
            case "cyclic_triangular" -> Schedules.cyclicTriangular(a.num("min_lr"), a.num("max_lr"), a.count("period"));
            default -> throw new IllegalArgumentException("unknown schedule in fixtures: " + a.name);
        };
        a.requireAllUsed();
        return schedule;
    }

    private static Schedule slantedTriangular(Args a) {
        double maxRate = a.num("max_rate");
        long numSteps = a.count("num_steps");
        if (!a.has("cut_frac") && !a.has("ratio") && !a.has("decay") && !a.has("t")) {
            return Schedules.slantedTriangular(maxRate, numSteps);
        }
        // Thinc's defaults for the keyword arguments a case leaves out.
        double cutFrac = a.has("cut_frac") ? a.num("cut_frac") : 0.1;
        double ratio = a.has("ratio") ? a.num("ratio") : 32;
        if (!a.has("decay") && !a.has("t")) {
            return Schedules.slantedTriangular(maxRate, numSteps, cutFrac, ratio);
        }
        double decay = a.has("decay") ? a.num("decay") : 1.0;
        double t = a.has("t") ? a.num("t") : 0.0;
        return Schedules.slantedTriangular(maxRate, numSteps, cutFrac, ratio, decay, t);
    }

    /** A case's arguments; every one must be read, so a fixture argument never goes silently unused. */
    private static final class Args {
        final String name;
        final JsonNode args;
        final Set<String> used = new HashSet<>();

        Args(String name, JsonNode args) {
            this.name = name;
            this.args = args;
        }

        boolean has(String key) {
            return args.has(key);
        }

        JsonNode node(String key) {
            JsonNode n = args.get(key);
            if (n == null) {
                throw new IllegalArgumentException(name + ": fixture lacks argument " + key);
            }
            used.add(key);
            return n;
        }

        double num(String key) {
            return node(key).doubleValue();
        }

        long count(String key) {
            JsonNode n = node(key);
            if (!n.isIntegralNumber()) {
                throw new IllegalArgumentException(name + ": " + key + " must be an integer, got " + n);
            }
            return n.longValue();
        }

        void requireAllUsed() {
            args.fieldNames().forEachRemaining(key -> {
                if (!used.contains(key)) {
                    throw new IllegalArgumentException(name + ": fixture argument " + key + " was not used");
                }
            });
        }
    }
}
