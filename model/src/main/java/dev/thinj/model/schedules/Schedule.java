package dev.thinj.model.schedules;

import java.util.Iterator;
import java.util.List;

/**
 * A value that changes with the training step: a learning rate, a batch size, a dropout rate. Thinc 8
 * writes schedules as infinite generators; here a schedule is a pure function of the step, and
 * {@link #iterator()} walks it from step 0 for code that wants Thinc's generator shape.
 *
 * <p>User-written schedules are plain lambdas ({@code step -> 0.001 / (1 + step)}), or any iterator
 * or list through {@link #of(Iterator)} and {@link #of(List)}. Thinc's built-in schedules are in
 * {@link Schedules}.
 *
 * <p>The one exception to purity is Thinc 9's {@link Plateau}, whose value also depends on the
 * evaluation scores it has been given through {@link #valueAt(long, LastScore)}.
 */
@FunctionalInterface
public interface Schedule {
    /**
     * @param step the number of times the schedule has been stepped, from 0
     * @return the value at that step
     */
    double valueAt(long step);

    /**
     * The value at a step, told the latest evaluation score: Thinc 9's {@code schedule(step,
     * last_score=(score_step, score))}. Only score-driven schedules ({@link Plateau}) read the score,
     * and schedules that wrap others ({@link Schedules#constantThen}) pass it on; every other schedule,
     * user lambdas included, ignores it. Whoever reads a hyperparameter (an optimizer) can therefore
     * call this form for every schedule and pass the same latest score each time.
     *
     * @param step the number of times the schedule has been stepped, from 0
     * @param lastScore the latest evaluation score, or {@code null} when none has been made yet
     * @return the value at that step
     */
    default double valueAt(long step, LastScore lastScore) {
        return valueAt(step);
    }

    /** @return an infinite iterator over the values at steps 0, 1, 2, ... */
    default Iterator<Double> iterator() {
        return new Iterator<>() {
            private long step;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Double next() {
                return valueAt(step++);
            }
        };
    }

    /**
     * @param value the value at every step
     * @return a constant schedule
     */
    static Schedule constant(double value) {
        return step -> value;
    }

    /**
     * Thinc's treatment of a list hyperparameter: one value per step, and the last value for ever once
     * the list runs out.
     *
     * @param values at least one value (copied)
     * @return the schedule
     */
    static Schedule of(List<? extends Number> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("Schedule.of: a list schedule needs at least one value");
        }
        double[] v = values.stream().mapToDouble(Number::doubleValue).toArray();
        return step -> v[(int) Math.min(step, v.length - 1)];
    }

    /**
     * Thinc's treatment of an iterator hyperparameter: values are drawn as steps are asked for and
     * remembered, and an exhausted iterator keeps its last value.
     *
     * @param values an iterator with at least one value
     * @return the schedule
     */
    static Schedule of(Iterator<? extends Number> values) {
        return new IteratorSchedule(values);
    }
}
