package dev.thinj.train.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the training plot is drawn, on a clock the test sets (no waiting, no timing). */
class TrainingPlotTest {
    @TempDir
    Path dir;

    private long now;
    private final List<List<Integer>> drawings = new CopyOnWriteArrayList<>();

    private TrainingPlot plot() {
        return new TrainingPlot(dir, () -> now, points -> drawings.add(points.stream().map(EpochMetrics::epoch).toList()));
    }

    private static EpochEnd epoch(int n) {
        return new EpochEnd(new EpochMetrics(n, 0.5, Map.of("accuracy", 0.8), 2.0, 30000), 10, false, 0.8, n, 0L,
                null, null);
    }

    private void at(long seconds) {
        now = TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void drawsTheFirstEpochThenAtMostEveryTenSecondsAndTheLastAtTheEnd() {
        TrainingPlot p = plot();
        p.runStarted(1, 10);
        at(100);
        p.epochFinished(epoch(1));
        at(102);
        p.epochFinished(epoch(2));
        at(109);
        p.epochFinished(epoch(3));
        at(110);
        p.epochFinished(epoch(4));
        at(112);
        p.epochFinished(epoch(5));
        p.runEnded();
        assertThat(drawings).containsExactly(List.of(1), List.of(1, 2, 3, 4), List.of(1, 2, 3, 4, 5));
    }

    @Test
    void aRunWhoseLastEpochWasDrawnIsNotDrawnAgain() {
        TrainingPlot p = plot();
        p.runStarted(1, 2);
        at(0);
        p.epochFinished(epoch(1));
        at(60);
        p.epochFinished(epoch(2));
        p.runEnded();
        assertThat(drawings).containsExactly(List.of(1), List.of(1, 2));
    }

    @Test
    void slowEpochsAreEachDrawn() {
        TrainingPlot p = plot();
        p.runStarted(1, 3);
        for (int e = 1; e <= 3; e++) {
            at(30L * e);
            p.epochFinished(epoch(e));
        }
        p.runEnded();
        assertThat(drawings).containsExactly(List.of(1), List.of(1, 2), List.of(1, 2, 3));
    }
}
