package dev.thinj.model.serialize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thinj.model.Model;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.Result;
import dev.thinj.model.ThincJson;
import dev.thinj.model.optimizers.Adam;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reverse of {@link ThincModelFileFixturesTest}: thinj trains each case's model, writes it with
 * {@link ThincModelFile}, and Thinc itself ({@code thinc_load_predict.py}, run with the system
 * Python) builds the model from the same config, loads thinj's bytes, predicts and writes them again.
 * Thinc must predict what thinj predicts, write back the very bytes thinj wrote, and those bytes must
 * give thinj its weights back bit for bit.
 *
 * <p>Runs only where Python with Thinc is installed (Debian's {@code python3-thinc}; another
 * interpreter with {@code -Dthinj.python=PATH}); elsewhere it is skipped with the reason.
 */
// A hang guard only: the Python process is also bounded below.
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ThincRoundTripTest {
    private static final String PYTHON = System.getProperty("thinj.python", "/usr/bin/python3");
    private static final double RTOL = 1e-5;
    private static final double FLOOR = 0.1;
    private static final Ops OPS = ThincCases.OPS;

    @TempDir
    static Path dir;


    /** @return why Thinc cannot run here, or null if it can */
    static String whyNoThinc() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return "no Python at " + PYTHON + " (install python3-thinc, or give -Dthinj.python=PATH)";
        }
        Path log = Files.createTempFile("thinc-check", ".txt");
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import thinc; print(thinc.__version__)")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return PYTHON + " did not import thinc within 60 s";
            }
            return p.exitValue() == 0 ? null : "Thinc is not installed for " + PYTHON + " (python3-thinc): "
                    + Files.readString(log).strip().lines().reduce((a, b) -> b).orElse("");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** thinj's half of a case: the model it trained and the Thinc file it wrote. */
    private record Trained(JsonNode c, Model<FloatArray, FloatArray> model, Path file) {
    }

    @Test
    void thincLoadsWhatThinjWroteAndPredictsTheSame() throws Exception {
        // In the test, not @BeforeAll, so that the report counts it as skipped and says why.
        String reason = whyNoThinc();
        Assumptions.assumeTrue(reason == null, reason);
        List<JsonNode> cases = ThincCases.all();
        ObjectMapper json = new ObjectMapper();
        ObjectNode request = json.createObjectNode();
        request.put("out", dir.resolve("result.json").toString());
        ArrayNode list = request.putArray("cases");
        Map<String, Trained> trained = new HashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String name = c.get("name").asText();
            Model<FloatArray, FloatArray> model = train(c, 2000 + i);
            Path file = dir.resolve(name + ".thinc");
            ThincModelFile.write(model, file);
            trained.put(name, new Trained(c, model, file));
            ObjectNode item = list.addObject();
            item.put("name", name);
            item.put("config", c.get("config").asText());
            item.put("model", file.toString());
            item.put("rewritten", dir.resolve(name + ".rewritten.thinc").toString());
            if (c.has("input")) {
                item.set("input", c.get("input"));
            }
        }
        Path requestFile = dir.resolve("request.json");
        json.writeValue(requestFile.toFile(), request);
        runThinc(requestFile);

        JsonNode result = json.readTree(dir.resolve("result.json").toFile());
        assertThat(result.get("cases")).hasSize(cases.size());
        for (JsonNode r : result.get("cases")) {
            String name = r.get("name").asText();
            Trained t = trained.get(name);
            if (t.c().has("input")) {
                FloatArray y = t.model().predict(ThincJson.toArray(OPS, t.c().get("input")));
                ThincJson.assertClose(name + ": Thinc's predict of thinj's model", y, r.get("output"), RTOL, FLOOR);
            }
            byte[] written = Files.readAllBytes(t.file());
            byte[] rewritten = Files.readAllBytes(dir.resolve(name + ".rewritten.thinc"));
            assertThat(rewritten).as(name + ": thinj -> Thinc -> bytes").isEqualTo(written);
            Model<FloatArray, FloatArray> back = ThincModelFile.read(ThincCases.build(t.c()),
                    dir.resolve(name + ".rewritten.thinc"));
            assertThat(ThincCases.state(back, false)).as(name + ": thinj -> Thinc -> thinj")
                    .isEqualTo(ThincCases.state(t.model(), false));
        }
    }

    /** Initialises the case's model with thinj's own seed and trains it as the fixture script trains in Thinc. */
    private static Model<FloatArray, FloatArray> train(JsonNode c, long seed) {
        RandomSeeds.fix(seed);
        Model<FloatArray, FloatArray> model = ThincCases.build(c);
        if (!c.has("train_X")) {
            return model;  // left uninitialised, as in Thinc's file
        }
        FloatArray x = ThincJson.toArray(OPS, c.get("train_X"));
        FloatArray y = ThincJson.toArray(OPS, c.get("train_Y"));
        model.initialize(firstRows(x, 4), c.get("init_Y").asBoolean() ? firstRows(y, 4) : null);
        Optimizer adam = Adam.of(c.get("learn_rate").asDouble());
        for (int step = 0; step < c.get("steps").asInt(); step++) {
            Result<FloatArray, FloatArray> r = model.beginUpdate(x);
            r.backprop().apply(OPS.sub(r.output(), y));
            model.finishUpdate(adam);
        }
        return model;
    }

    private static FloatArray firstRows(FloatArray a, int n) {
        return OPS.asArray(Arrays.copyOf(a.toFloatArray(), n * a.dim(1)), n, a.dim(1));
    }

    private static void runThinc(Path request) throws IOException, InterruptedException {
        Path script = dir.resolve("thinc_load_predict.py");
        try (InputStream in = ThincRoundTripTest.class.getResourceAsStream("/fixtures/thinc_load_predict.py")) {
            Files.copy(in, script);
        }
        Path log = dir.resolve("thinc.log");
        Process p = new ProcessBuilder(PYTHON, script.toString(), request.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Thinc did not finish within 240 s: " + Files.readString(log));
        }
        assertThat(p.exitValue()).as("Thinc failed:%n%s", Files.readString(log)).isZero();
    }
}
