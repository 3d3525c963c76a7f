package dev.thinj.train.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays sklearn_metrics.json (written by make_metrics_fixtures.py with scikit-learn 1.2.1): every
 * classification and regression case must give sklearn's scores to 1e-12. Both compute in double;
 * only the order of a few divisions differs.
 */
class SklearnMetricsFixturesTest {
    private static final double TOLERANCE = 1e-12;
    private static final JsonNode ROOT = load();

    private static JsonNode load() {
        try (InputStream in = SklearnMetricsFixturesTest.class.getResourceAsStream("/fixtures/sklearn_metrics.json")) {
            if (in == null) {
                throw new IllegalStateException("fixtures/sklearn_metrics.json is not on the test class path");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void fixturesComeFromTheExpectedVersionAndCoverTheEdgeCases() {
        assertThat(ROOT.get("sklearn_version").asText()).isEqualTo("1.2.1");
        assertThat(ROOT.get("classification")).hasSizeGreaterThanOrEqualTo(15);
        assertThat(ROOT.get("regression")).hasSizeGreaterThanOrEqualTo(15);
    }

    @TestFactory
    Stream<DynamicTest> classification() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : ROOT.get("classification")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                int k = c.get("classes").asInt();
                List<String> names = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    names.add("c" + i);
                }
                ClassificationReport r = ClassificationReport.of(ints(c.get("truth")), ints(c.get("predicted")), names);
                assertThat(r.accuracy()).isCloseTo(c.get("accuracy").asDouble(), within(TOLERANCE));
                assertThat(r.macroF1()).isCloseTo(c.get("macro_f1").asDouble(), within(TOLERANCE));
                for (int i = 0; i < k; i++) {
                    ClassScores s = r.classes().get(i);
                    assertThat(s.precision()).as("precision of class " + i).isCloseTo(c.get("precision").get(i).asDouble(), within(TOLERANCE));
                    assertThat(s.recall()).as("recall of class " + i).isCloseTo(c.get("recall").get(i).asDouble(), within(TOLERANCE));
                    assertThat(s.f1()).as("f1 of class " + i).isCloseTo(c.get("f1").get(i).asDouble(), within(TOLERANCE));
                    assertThat(s.support()).as("support of class " + i).isEqualTo(c.get("support").get(i).asInt());
                    assertThat(r.confusion()[i]).as("confusion row " + i).containsExactly(ints(c.get("confusion").get(i)));
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> regression() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : ROOT.get("regression")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                int width = c.get("width").asInt();
                float[] truth = floats(c.get("truth"));
                RegressionReport r = RegressionReport.of(truth, floats(c.get("predicted")), width);
                assertThat(r.count()).isEqualTo(truth.length / width);
                assertThat(r.mse()).isCloseTo(c.get("mse").asDouble(), within(TOLERANCE * Math.max(1, c.get("mse").asDouble())));
                assertThat(r.mae()).isCloseTo(c.get("mae").asDouble(), within(TOLERANCE * Math.max(1, c.get("mae").asDouble())));
                assertThat(r.r2()).isCloseTo(c.get("r2").asDouble(), within(TOLERANCE));
            }));
        }
        return tests.stream();
    }

    private static int[] ints(JsonNode array) {
        int[] v = new int[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asInt();
        }
        return v;
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return v;
    }
}
