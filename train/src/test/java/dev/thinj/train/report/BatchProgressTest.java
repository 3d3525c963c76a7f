package dev.thinj.train.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.batching.SizedBatches;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.junit.jupiter.api.Test;

/** A progress bar wraps a buffered, shuffled {@link SizedBatches} and knows its total before the pass. */
class BatchProgressTest {
    @Test
    void theBarKnowsTheNumberOfBatchesUpFrontAndEndsAtIt() {
        Ops ops = Ops.get("cpu");
        FloatArray x = ops.alloc(100, 3);
        SizedBatches<FloatArray> batches = ops.minibatch(32, x, true, 2);
        assertThat(batches.size()).as("known before any pass").isEqualTo(4);

        List<String> frames = new ArrayList<>();
        ProgressBarBuilder bar = new ProgressBarBuilder().setTaskName("epoch 0").setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new DelegatingProgressBarConsumer(frames::add, 120));
        int rows = 0;
        for (FloatArray b : BatchProgress.wrap(batches, bar)) {
            rows += b.dim(0);
        }
        assertThat(rows).isEqualTo(100);
        assertThat(frames).as("frames drawn").isNotEmpty();
        String last = frames.get(frames.size() - 1);
        assertThat(last).as("the last frame").contains("epoch 0").contains("100%").contains("4/4");
    }
}
