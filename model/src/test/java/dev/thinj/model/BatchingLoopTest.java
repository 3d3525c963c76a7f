package dev.thinj.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.losses.Truths;
import dev.thinj.model.optimizers.Adam;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.model.schedules.Schedule;
import dev.thinj.model.schedules.Schedules;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.batching.BatchSource;
import dev.thinj.ops.batching.SizedBatches;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Batching with the model module: a {@link Schedule} as the batch size (Thinc's
 * {@code compounding(1, 16, 1.001)}), and Thinc's training loop fed by a buffered {@code multibatch}.
 */
class BatchingLoopTest {
    private final Ops ops = Ops.get("cpu");

    @Test
    void aCompoundingScheduleDrawsThincsBatchSizes() {
        // Thinc 8.1.7 over 60,000 rows (ops-api's fixtures/thinc_batches.json): 5,587 batches holding
        // 58,697 rows, because each batch takes int(size) rows while the count sums the raw sizes.
        Schedule compounding = Schedules.compounding(1, 16, 1.001);
        SizedBatches<List<Integer>> batches = ops.minibatch(BatchSizes.schedule(compounding::valueAt),
                Collections.nCopies(60_000, 0), false, 1);
        assertThat(batches.size()).isEqualTo(5587);
        int rows = 0;
        for (List<Integer> b : batches) {
            rows += b.size();
        }
        assertThat(rows).isEqualTo(58_697);

        // A schedule's iterator works as Thinc's generator does: one minibatch call after another, the
        // sizes go on growing (the fixture's "generator shared by three calls" case: 406, 288, 224).
        BatchSizes shared = BatchSizes.from(compounding.iterator());
        List<Integer> counts = new ArrayList<>();
        for (int call = 0; call < 3; call++) {
            counts.add(ops.minibatch(shared, Collections.nCopies(500, 0), false, 1).size());
        }
        assertThat(counts).containsExactly(406, 288, 224);
    }

    @Test
    void thincsTrainingLoopLearnsFromABufferedShuffledMultibatch() {
        FashionMnistSubset train = FashionMnistSubset.train();
        FashionMnistSubset test = FashionMnistSubset.test();
        RandomSeeds.fix(0);
        Model<FloatArray, FloatArray> model = Chain.of(Relu.of(64), Softmax.of());
        FloatArray xAll = ops.asArray(train.images(), train.size(), FashionMnistSubset.PIXELS);
        IntArray yAll = ops.asInts(train.labels());
        model.initialize(ops.sliceRows(xAll, 0, 5), ops.oneHot(ops.sliceRows(yAll, 0, 5), 10, 0f));
        Optimizer optimizer = Adam.of(0.001);
        CategoricalCrossentropy loss = new CategoricalCrossentropy();

        // Host pixels and labels, batched and copied to the backend by a producer thread.
        SizedBatches<Batch> batches = ops.multibatch(BatchSizes.fixed(32),
                BatchOptions.defaults().shuffle(true).seed(0).buffer(4),
                BatchSource.of(train.images(), train.size(), FashionMnistSubset.PIXELS), train.labels());
        assertThat(batches.size()).isEqualTo((train.size() + 31) / 32);
        for (int epoch = 0; epoch < 8; epoch++) {
            for (Batch b : batches) {
                Result<FloatArray, FloatArray> result = model.beginUpdate(b.floats(0));
                result.backprop().apply(loss.getGrad(result.output(), Truths.of(b.ints(1))));
                model.finishUpdate(optimizer);
                optimizer.stepSchedules();
            }
        }
        FloatArray xTest = ops.asArray(test.images(), test.size(), FashionMnistSubset.PIXELS);
        int[] guesses = ops.argmax(model.predict(xTest)).toIntArray();
        int correct = 0;
        for (int i = 0; i < guesses.length; i++) {
            correct += guesses[i] == test.labels()[i] ? 1 : 0;
        }
        assertThat((float) correct / guesses.length).isGreaterThan(0.80f);
    }
}
