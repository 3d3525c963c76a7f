package dev.thinj.model.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thinj.model.ParamKey;
import dev.thinj.model.ThincJson;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays {@code thinc_optimizers.json}: consecutive steps of Thinc 8.1.7's Adam, SGD and RAdam
 * (defaults, weight decay, classic L2, clipping on and off, averages on and off, scheduled learning
 * rates and betas, other betas and eps) over three parameters, each step with a fresh gradient. Our
 * optimizer runs on its own weights from the first step on, so errors would accumulate as they would
 * in training; every step's weights, zeroed gradient and averages must match Thinc's.
 */
class ThincOptimizerFixtureTest {
    private static final JsonNode DOC = ThincJson.load("/fixtures/thinc_optimizers.json");
    /**
     * Thinc computes in float32 too, in the same order; what differs is fused multiply-adds in its
     * BLAS-backed loops and the order of the clipping norm's sum, each worth an ulp per step.
     * Weights are of order 1 (standard normal), so the floor of 1 makes this 1e-5 absolute: a
     * hundredth of the smallest step the variants take (learn rate 0.001 in the Thinc-default cases).
     */
    private static final double RTOL = 1e-5;
    private static final double FLOOR = 1.0;

    private final Ops ops = Ops.get("cpu");

    static Stream<Arguments> cases() {
        return StreamSupport.stream(DOC.get("cases").spliterator(), false)
                .map(c -> Arguments.of(c.get("name").asText(), c));
    }

    @Test
    void fixtureCoversEveryOptimizerAndVariant() {
        Set<String> names = new HashSet<>();
        DOC.get("cases").forEach(c -> names.add(c.get("name").asText()));
        for (String opt : List.of("adam", "sgd", "radam")) {
            for (String variant : List.of("default", "weight_decay", "classic_l2", "clip_small", "clip_off",
                    "learn_rate_list")) {
                assertThat(names).contains(opt + "/" + variant);
            }
        }
        // Thinc's fallback to SGD when beta2 is 0, and a parameter of a single element.
        assertThat(names).contains("adam/beta2_zero", "adam/betas_zero", "adam/size_one_param", "sgd/size_one_param",
                "radam/size_one_param");
        assertThat(DOC.get("thinc_version").asText()).isEqualTo("8.1.7");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reproducesThinc(String name, JsonNode c) {
        Optimizer opt = build(c);
        List<ParamKey> keys = new ArrayList<>();
        List<FloatArray> weights = new ArrayList<>();
        for (JsonNode p : c.get("params")) {
            keys.add(new ParamKey(p.get("key").get(0).asLong(), p.get("key").get(1).asText()));
            weights.add(ThincJson.toArray(ops, p.get("weights")));
        }
        boolean averaging = !c.get("args").has("use_averages") || c.get("args").get("use_averages").asBoolean();
        int stepNo = 0;
        for (JsonNode step : c.get("steps")) {
            String at = name + " step " + stepNo;
            assertThat(opt.learnRate()).as("%s: learn rate", at).isEqualTo(step.get("learn_rate").asDouble());
            for (JsonNode u : step.get("updates")) {
                int i = u.get("param").asInt();
                String what = at + " " + keys.get(i);
                FloatArray grad = ThincJson.toArray(ops, u.get("gradient"));
                opt.update(keys.get(i), weights.get(i), grad);
                ThincJson.assertClose(what + " weights", weights.get(i), u.get("weights"), RTOL, FLOOR);
                // Thinc leaves exact zeros: any leftover would be added into by the next backprop.
                ThincJson.assertClose(what + " gradient after", grad, u.get("gradient_after"), 0, FLOOR);
                Map<ParamKey, FloatArray> averages = opt.averages();
                if (averaging) {
                    assertThat(averages).as("%s: averages", what).containsKey(keys.get(i));
                    ThincJson.assertClose(what + " average", averages.get(keys.get(i)), u.get("average"), RTOL, FLOOR);
                } else {
                    assertThat(u.has("average")).isFalse();
                    assertThat(averages).as("%s: averages with use_averages=false", what).isEmpty();
                }
            }
            opt.stepSchedules();
            stepNo++;
        }
        assertThat(stepNo).isGreaterThan(2);
    }

    /** Builds the optimizer from the Thinc keyword arguments the fixture records. */
    private static Optimizer build(JsonNode c) {
        JsonNode args = c.get("args");
        Set<String> asIterator = new HashSet<>();
        c.get("iterator").forEach(n -> asIterator.add(n.asText()));
        OptimizerBuilder b = switch (c.get("optimizer").asText()) {
            case "Adam" -> Adam.builder();
            case "RAdam" -> RAdam.builder();
            // Thinc's SGD has no default rate; the recorded one (number or list) is set below.
            case "SGD" -> SGD.builder(Double.NaN);
            default -> throw new IllegalArgumentException("unknown optimizer in fixture: " + c.get("optimizer"));
        };
        args.properties().forEach(e -> {
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case "L2_is_weight_decay" -> b.l2IsWeightDecay(v.asBoolean());
                case "use_averages" -> b.useAverages(v.asBoolean());
                case "learn_rate", "beta1", "beta2", "eps", "L2", "grad_clip" -> b.hyper(key, hyperValue(v,
                        asIterator.contains(key)));
                default -> throw new IllegalArgumentException("unknown Thinc argument in fixture: " + key);
            }
        });
        return b.build();
    }

    private static Object hyperValue(JsonNode v, boolean asIterator) {
        if (!v.isArray()) {
            return v.asDouble();
        }
        List<Double> values = new ArrayList<>();
        v.forEach(x -> values.add(x.asDouble()));
        return asIterator ? values.iterator() : values;
    }
}
