package dev.thinj.model.schedules;

import java.util.Arrays;
import java.util.Iterator;

/**
 * Adapts a one-shot iterator to a {@link Schedule}: values are pulled as far as the largest step
 * asked for and kept, so any step can be asked again; past the end the last value repeats.
 */
final class IteratorSchedule implements Schedule {
    private final Iterator<? extends Number> source;
    private double[] seen = new double[16];
    private int count;

    IteratorSchedule(Iterator<? extends Number> source) {
        if (source == null || !source.hasNext()) {
            throw new IllegalArgumentException("Schedule.of: an iterator schedule needs at least one value");
        }
        this.source = source;
    }

    @Override
    public synchronized double valueAt(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("Schedule step must be >= 0, got " + step);
        }
        while (count <= step && source.hasNext()) {
            if (count == seen.length) {
                seen = Arrays.copyOf(seen, count * 2);
            }
            seen[count++] = source.next().doubleValue();
        }
        return seen[(int) Math.min(step, count - 1)];
    }
}
