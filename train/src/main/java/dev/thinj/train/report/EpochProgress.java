package dev.thinj.train.report;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar per epoch: batches done of the epoch's total, speed, ETA, and the mean loss
 * last read from the backend.
 */
public final class EpochProgress implements TrainingListener {
    private ProgressBar bar;
    private double shownLoss = Double.NaN;

    @Override
    public void epochStarted(int epoch, int batches) {
        bar = new ProgressBarBuilder().setTaskName("epoch " + epoch).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" batches", 1).showSpeed().setInitialMax(batches).build();
        shownLoss = Double.NaN;
    }

    @Override
    public void batchFinished(int batch, double meanLoss) {
        if (bar == null) {
            return;
        }
        // Only a new value is formatted: between loss reads the message stays as it is.
        if (!Double.isNaN(meanLoss) && meanLoss != shownLoss) {
            shownLoss = meanLoss;
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.5f", meanLoss));
        }
        bar.stepTo(batch);
    }

    @Override
    public void epochFinished(EpochEnd end) {
        close();
    }

    @Override
    public void runEnded() {
        close();
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
