package dev.thinj.model.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.Model;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.Result;
import dev.thinj.model.config.Config;
import dev.thinj.model.config.Overrides;
import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.losses.LossResult;
import dev.thinj.model.losses.Truths;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.model.schedules.Schedule;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The full MLP training config (config/thinj/mlp-training.cfg: model, optimizer with a schedule,
 * loss, batch-size schedule, training section), with command-line overrides, drives a short
 * training run: everything the loop needs comes out of the config.
 */
class MlpTrainingConfigTest {
    @Test
    @SuppressWarnings("unchecked")
    void theConfigTrainsAModel() {
        RandomSeeds.fix(0);
        Config config = Config.parse(ThincExampleConfigsTest.text("thinj/mlp-training.cfg"), "mlp-training.cfg",
                Overrides.fromArgs(List.of("--hyper_params.n_classes", "3", "--hyper_params.n_hidden=16",
                        "--optimizer.learn_rate.warmup_steps", "5")));
        Resolved r = Registry.global().resolve(config);
        Model<FloatArray, FloatArray> model = r.get("model", Model.class);
        Optimizer optimizer = r.get("optimizer", Optimizer.class);
        CategoricalCrossentropy loss = r.get("loss", CategoricalCrossentropy.class);
        Schedule batchSize = r.get("training.batch_size", Schedule.class);
        Ops ops = r.get("training.ops", Ops.class);
        assertThat(r.get("training.n_iter", int.class)).isEqualTo(10);
        assertThat(r.filled().get("model.*.output.nO")).isEqualTo(3L);

        // Three separable classes: the label is the largest of the first three features.
        int n = 96;
        int features = 6;
        SplittableRandom random = new SplittableRandom(1);
        float[] xs = new float[n * features];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < features; j++) {
                xs[i * features + j] = (float) random.nextGaussian();
            }
            labels[i] = xs[i * features] > xs[i * features + 1]
                    ? (xs[i * features] > xs[i * features + 2] ? 0 : 2)
                    : (xs[i * features + 1] > xs[i * features + 2] ? 1 : 2);
        }
        FloatArray x = ops.asArray(xs, n, features);
        IntArray y = ops.asInts(labels);
        model.initialize(ops.sliceRows(x, 0, 5), ops.oneHot(ops.sliceRows(y, 0, 5), 3, 0f));

        float[] epochLoss = new float[r.get("training.n_iter", int.class)];
        long step = 0;
        for (int epoch = 0; epoch < epochLoss.length; epoch++) {
            for (int start = 0; start < n; ) {
                int size = (int) batchSize.valueAt(step);
                int end = Math.min(n, start + size);
                Result<FloatArray, FloatArray> out = model.beginUpdate(ops.sliceRows(x, start, end));
                LossResult<FloatArray> l = loss.apply(out.output(),
                        Truths.of(Arrays.copyOfRange(labels, start, end)));
                out.backprop().apply(l.grad());
                model.finishUpdate(optimizer);
                optimizer.stepSchedules();
                epochLoss[epoch] += l.loss();
                start = end;
                step++;
            }
        }
        assertThat(epochLoss[epochLoss.length - 1]).isLessThan(epochLoss[0] * 0.8f);
    }
}
