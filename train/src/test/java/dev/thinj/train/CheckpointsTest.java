package dev.thinj.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.Model;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.optimizers.Adam;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.model.optimizers.OptimizerState;
import dev.thinj.model.serialize.ModelFile;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.train.report.EpochEnd;
import dev.thinj.train.report.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint's files are taken when the steps end and written while the evaluation runs; what they
 * hold is the trained state of that moment, and {@code state.json} names them only once the epoch ends.
 */
class CheckpointsTest {
    private static final Ops OPS = Ops.get("cpu");
    private static final FloatArray X = OPS.asArray(new float[] {0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.6f}, 2, 3);

    @TempDir
    Path dir;

    private final Model<FloatArray, FloatArray> model = trainedModel();
    private final Optimizer optimizer = Adam.of(0.01);

    private static Model<FloatArray, FloatArray> trainedModel() {
        RandomSeeds.fix(5);
        return Chain.of(Relu.of(4), Softmax.of(3)).initialize(X, null);
    }

    private void step() {
        var r = model.beginUpdate(X);
        r.backprop().apply(X);
        model.finishUpdate(optimizer);
    }

    private EpochEnd end(int epoch) {
        return new EpochEnd(new EpochMetrics(epoch, 0.5, Map.of("accuracy", 0.8), 1.0, 100), 3, true, 0.8, 10L * epoch,
                0L, model, optimizer);
    }

    /** What an evaluation may do to the parameters meanwhile (it swaps the averages in): all of them changed. */
    private void changeEveryParameter() {
        for (Model<?, ?> node : model.walk()) {
            for (String p : node.paramNames()) {
                if (node.hasParam(p)) {
                    OPS.fill(node.getParam(p), 0.5f);
                }
            }
        }
    }

    @Test
    void theFilesHoldTheStateWhenTheStepsEndedAndStateJsonNamesThemAfterTheEpoch() throws IOException {
        step();
        byte[] modelThen = ModelFile.toBytes(model);
        byte[] optimizerThen = OptimizerState.toBytes(optimizer, model);
        Checkpoints checkpoints = new Checkpoints(dir);
        checkpoints.stepsFinished(1, model, optimizer);
        changeEveryParameter();
        assertThat(dir.resolve("state.json")).as("named before the epoch ended").doesNotExist();
        checkpoints.epochFinished(end(1));
        checkpoints.runEnded();
        assertThat(Files.readAllBytes(dir.resolve("checkpoint-1/model.bin"))).isEqualTo(modelThen);
        assertThat(Files.readAllBytes(dir.resolve("checkpoint-1/optimizer.bin"))).isEqualTo(optimizerThen);
        assertThat(Checkpoints.readState(dir.resolve("state.json"))).isEqualTo(new Checkpoints.State(1, 10, 0.8));
    }

    @Test
    void theNextEpochReplacesTheCheckpointAndAListenerToldOnlyOfTheEpochEndSavesThen() throws IOException {
        Checkpoints checkpoints = new Checkpoints(dir);
        step();
        checkpoints.stepsFinished(1, model, optimizer);
        checkpoints.epochFinished(end(1));
        step();
        checkpoints.epochFinished(end(2));  // no stepsFinished: written now, whole
        checkpoints.runEnded();
        assertThat(Files.readAllBytes(dir.resolve("checkpoint-2/model.bin"))).isEqualTo(ModelFile.toBytes(model));
        assertThat(dir.resolve("checkpoint-1")).as("the older checkpoint").doesNotExist();
        assertThat(Checkpoints.readState(dir.resolve("state.json"))).isEqualTo(new Checkpoints.State(2, 20, 0.8));
    }
}
