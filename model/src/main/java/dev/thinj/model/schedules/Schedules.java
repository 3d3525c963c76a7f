package dev.thinj.model.schedules;

import java.util.Objects;

/**
 * Thinc's built-in schedules ({@code thinc.schedules}, registered as {@code "name.v1"}), with the values
 * Thinc 8.1.7's generators yield: {@code valueAt(k)} is the {@code (k+1)}-th value {@code next()}
 * returns, so step 0 is the first value. The arithmetic is Thinc's, operation for operation, in
 * double: integer counts divide as Python's true division does, {@code int(...)} truncates, and
 * {@code numpy.floor} is {@link Math#floor}.
 *
 * <p>Thinc 8 keeps a running counter ({@code t += 1}) or a running product ({@code curr *= compound})
 * inside its generators; here each value is computed from the step directly, as Thinc 9 does, so that
 * any step can be asked for in any order. For whole-number offsets (the usual case, and every
 * default) the results are identical; with a fractional {@code t}, or for {@link #compounding}'s
 * product, the last bits can differ (a relative error near {@code 1e-16} per step, far below any
 * effect on training).
 *
 * <p>Where Thinc 8 has a quirk the factories keep it, so a config written for Thinc gives Thinc's
 * numbers; each factory's Javadoc says which. Arguments that make Thinc's generator fail midway (a
 * division by zero) or that have no sensible meaning (a negative step count) are rejected up front
 * with an {@link IllegalArgumentException} naming the schedule and the argument.
 *
 * <p>Every schedule here rejects a negative step. Schedules are immutable and safe to share, except
 * {@link Plateau}, which keeps the state of the scores it has seen.
 */
public final class Schedules {
    private Schedules() {}

    /**
     * {@code constant.v1}: the same value at every step.
     *
     * @param rate the value
     * @return the schedule
     */
    public static Schedule constant(double rate) {
        return new Constant(rate);
    }

    /**
     * {@code constant_then.v1}: {@code rate} for the first {@code steps} steps, then {@code then}
     * from its own beginning: {@code valueAt(k) = k < steps ? rate : then.valueAt(k - steps)}.
     *
     * <p>Thinc 8 starts the wrapped generator only when the constant steps are used up, so {@code then}
     * sees step 0 at overall step {@code steps}; Thinc 9 instead passes the overall step through. A
     * {@link LastScore} is passed on to {@code then} only at steps where {@code then} is asked for its
     * value, as Thinc 9 passes {@code last_score}.
     *
     * @param rate the value during the first {@code steps} steps
     * @param steps how many steps keep {@code rate} (at least 0)
     * @param then the schedule that follows
     * @return the schedule
     */
    public static Schedule constantThen(double rate, long steps, Schedule then) {
        requireAtLeast("constantThen", "steps", steps, 0);
        Objects.requireNonNull(then, "constantThen: then must not be null");
        return new ConstantThen(rate, steps, then);
    }

    /**
     * {@code decaying.v1} with Thinc's default {@code t = 0}: see {@link #decaying(double, double,
     * double)}.
     *
     * @param baseRate the value at step 0
     * @param decay how fast it decays (at least 0)
     * @return the schedule
     */
    public static Schedule decaying(double baseRate, double decay) {
        return decaying(baseRate, decay, 0);
    }

    /**
     * {@code decaying.v1}: inverse-time decay, {@code baseRate * (1 / (1 + decay * (t + k)))} at step
     * {@code k}.
     *
     * <p>Thinc's docstring example claims the second value of {@code decaying(0.001, 1e-4)} is
     * {@code 0.00999}; it is {@code 0.001 / 1.0001 = 0.000999900009999}, which is what Thinc's code
     * (and this schedule) gives.
     *
     * @param baseRate the value when {@code t + k = 0}
     * @param decay how fast it decays (at least 0: a negative decay reaches a division by zero)
     * @param t the steps already taken before step 0 (at least 0)
     * @return the schedule
     */
    public static Schedule decaying(double baseRate, double decay, double t) {
        requireNonNegative("decaying", "decay", decay);
        requireNonNegative("decaying", "t", t);
        return new Decaying(baseRate, decay, t);
    }

    /**
     * {@code compounding.v1} with Thinc's default {@code t}: see {@link #compounding(double, double,
     * double, double)}.
     *
     * @param start the value at step 0
     * @param stop the bound on start's far side
     * @param compound the factor per step (greater than 0)
     * @return the schedule
     */
    public static Schedule compounding(double start, double stop, double compound) {
        return compounding(start, stop, compound, 0);
    }

    /**
     * {@code compounding.v1}: {@code start * compound^k} at step {@code k}, clipped at {@code stop}:
     * {@code min(value, stop)} when {@code start <= stop}, {@code max(value, stop)} when {@code start >
     * stop}. Typically batch sizes growing from {@code start} to {@code stop}.
     *
     * <p>Thinc's quirks, kept: the clip only bounds the value on the side of {@code stop} as seen from
     * {@code start}, so with {@code start > stop} and {@code compound > 1} the value grows without bound,
     * and with {@code start < stop} and {@code compound < 1} it shrinks towards 0 without ever being
     * clipped. And Thinc 8 accepts {@code t} but never reads it (Thinc 9 uses it as a step offset);
     * it is ignored here too.
     *
     * @param start the value at step 0
     * @param stop the bound on start's far side
     * @param compound the factor per step (greater than 0)
     * @param t ignored, as in Thinc 8
     * @return the schedule
     */
    public static Schedule compounding(double start, double stop, double compound, double t) {
        if (!(compound > 0) || Double.isInfinite(compound)) {
            throw new IllegalArgumentException(
                    "compounding: compound must be a finite number > 0, got " + compound);
        }
        return new Compounding(start, stop, compound);
    }

    /**
     * {@code warmup_linear.v1}: a linear rise from 0 over {@code warmupSteps} steps, then a linear fall
     * that reaches 0 at step {@code totalSteps} and stays there. At step {@code k} the value is
     * {@code initialRate * factor}, with {@code factor = k / max(1, warmupSteps)} while {@code k <
     * warmupSteps}, else {@code max(0, (totalSteps - k) / max(1, totalSteps - warmupSteps))}.
     *
     * <p>With {@code warmupSteps = 0} the first value is already {@code initialRate} (when
     * {@code totalSteps >= 1}); with {@code totalSteps <= warmupSteps} the value drops from the top of
     * the warmup straight to 0.
     *
     * @param initialRate the peak value, reached at the end of the warmup
     * @param warmupSteps the length of the rise (at least 0)
     * @param totalSteps the step at which the value reaches 0 (at least 0)
     * @return the schedule
     */
    public static Schedule warmupLinear(double initialRate, long warmupSteps, long totalSteps) {
        requireAtLeast("warmupLinear", "warmupSteps", warmupSteps, 0);
        requireAtLeast("warmupLinear", "totalSteps", totalSteps, 0);
        return new WarmupLinear(initialRate, warmupSteps, totalSteps);
    }

    /**
     * {@code slanted_triangular.v1} with Thinc's defaults {@code cutFrac = 0.1}, {@code ratio = 32}: see
     * {@link #slantedTriangular(double, long, double, double, double, double)}.
     *
     * @param maxRate the peak value
     * @param numSteps the length of the schedule
     * @return the schedule
     */
    public static Schedule slantedTriangular(double maxRate, long numSteps) {
        return slantedTriangular(maxRate, numSteps, 0.1, 32);
    }

    /**
     * {@code slanted_triangular.v1} with Thinc's defaults {@code decay = 1}, {@code t = 0}: see
     * {@link #slantedTriangular(double, long, double, double, double, double)}.
     *
     * @param maxRate the peak value
     * @param numSteps the length of the schedule
     * @param cutFrac the fraction of the steps spent rising (in (0, 1))
     * @param ratio how much smaller the lowest value is than the peak (greater than 0)
     * @return the schedule
     */
    public static Schedule slantedTriangular(double maxRate, long numSteps, double cutFrac, double ratio) {
        return slantedTriangular(maxRate, numSteps, cutFrac, ratio, 1.0, 0.0);
    }

    /**
     * {@code slanted_triangular.v1}: Howard and Ruder's slanted triangular learning rate (ULMFiT). With
     * {@code cut = int(numSteps * cutFrac)} (the product truncated, so {@code 100 * 0.29} gives 28) and
     * {@code s = t + k + 1} at step {@code k}:
     * <pre>
     *   p = s &lt; cut ? s / cut : 1 - (s - cut) / (cut * (1 / cutFrac - 1))
     *   value = maxRate * (1 + p * (ratio - 1)) * (1 / ratio)
     * </pre>
     * The value rises linearly to {@code maxRate} at {@code s = cut}, then falls linearly to
     * {@code maxRate / ratio} near {@code s = numSteps}.
     *
     * <p>Thinc's quirks, kept: the fall does not stop at the end, so past about {@code numSteps} steps
     * the value goes below {@code maxRate / ratio}, then negative, and keeps falling. And Thinc 8
     * accepts {@code decay} but never reads it (Thinc 9 dropped it); it is ignored here too.
     *
     * @param maxRate the peak value
     * @param numSteps the length of the schedule (with {@code cutFrac}, it must make {@code cut >= 1}:
     *     Thinc divides by {@code cut})
     * @param cutFrac the fraction of the steps spent rising (in (0, 1): 1 makes Thinc divide by zero
     *     once the rise ends)
     * @param ratio how much smaller the lowest value is than the peak (greater than 0)
     * @param decay ignored, as in Thinc 8
     * @param t the steps already taken before step 0 (at least 0)
     * @return the schedule
     */
    public static Schedule slantedTriangular(
            double maxRate, long numSteps, double cutFrac, double ratio, double decay, double t) {
        if (!(cutFrac > 0 && cutFrac < 1)) {
            throw new IllegalArgumentException("slantedTriangular: cutFrac must be in (0, 1), got " + cutFrac);
        }
        if (!(ratio > 0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("slantedTriangular: ratio must be a finite number > 0, got " + ratio);
        }
        requireNonNegative("slantedTriangular", "t", t);
        // Python's int() truncates towards zero, as a cast does.
        long cut = (long) (numSteps * cutFrac);
        if (cut < 1) {
            throw new IllegalArgumentException("slantedTriangular: numSteps * cutFrac must be at least 1 (Thinc"
                    + " divides by int(numSteps * cutFrac)), got numSteps=" + numSteps + ", cutFrac=" + cutFrac);
        }
        return new SlantedTriangular(maxRate, numSteps, cutFrac, ratio, t, cut);
    }

    /**
     * {@code cyclic_triangular.v1}: a triangle wave between {@code minLr} and {@code maxLr} that takes
     * {@code 2 * period} steps per cycle. With {@code i = k + 1} at step {@code k}:
     * <pre>
     *   cycle = floor(1 + i / (2 * period))
     *   x = |i / period - 2 * cycle + 1|
     *   value = minLr + (maxLr - minLr) * max(0, 1 - x)
     * </pre>
     * Because {@code i} starts at 1, step 0 is already one step up the first rise, and the value is
     * {@code maxLr} at steps {@code period - 1 + 2 * n * period}.
     *
     * @param minLr the value at the bottom of each cycle
     * @param maxLr the value at the top of each cycle (may be below {@code minLr}: the wave inverts)
     * @param period half a cycle, in steps (at least 1)
     * @return the schedule
     */
    public static Schedule cyclicTriangular(double minLr, double maxLr, long period) {
        requireAtLeast("cyclicTriangular", "period", period, 1);
        return new CyclicTriangular(minLr, maxLr, period);
    }

    /**
     * {@code plateau.v1} (new in Thinc 9): {@code schedule}'s values scaled by {@code scale^n}, where
     * {@code n} counts the times the evaluation score stopped improving for {@code maxPatience}
     * evaluations. The scores come in through {@link Schedule#valueAt(long, LastScore)}; see
     * {@link Plateau} for the exact rules and how a training loop feeds them.
     *
     * @param maxPatience how many evaluations without improvement make a plateau (at least 1)
     * @param scale the factor applied per plateau (finite, at least 0), typically below 1
     * @param schedule the schedule to scale
     * @return the schedule, holding the score state
     */
    public static Plateau plateau(int maxPatience, double scale, Schedule schedule) {
        return new Plateau(maxPatience, scale, schedule);
    }

    static void checkStep(String schedule, long step) {
        if (step < 0) {
            throw new IllegalArgumentException(schedule + ": step must be >= 0, got " + step);
        }
    }

    static void requireAtLeast(String schedule, String argument, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(schedule + ": " + argument + " must be >= " + min + ", got " + value);
        }
    }

    static void requireNonNegative(String schedule, String argument, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    schedule + ": " + argument + " must be a finite number >= 0, got " + value);
        }
    }

    // The schedules are records: immutable, and their toString shows the arguments.

    private record Constant(double rate) implements Schedule {
        @Override
        public double valueAt(long step) {
            checkStep("constant", step);
            return rate;
        }
    }

    private record ConstantThen(double rate, long steps, Schedule then) implements Schedule {
        @Override
        public double valueAt(long step) {
            return valueAt(step, null);
        }

        @Override
        public double valueAt(long step, LastScore lastScore) {
            checkStep("constantThen", step);
            // Thinc 8 chains two generators: the second one's first value comes at step `steps`.
            return step < steps ? rate : then.valueAt(step - steps, lastScore);
        }
    }

    private record Decaying(double baseRate, double decay, double t) implements Schedule {
        @Override
        public double valueAt(long step) {
            checkStep("decaying", step);
            return baseRate * (1.0 / (1.0 + decay * (t + step)));
        }
    }

    private record Compounding(double start, double stop, double compound) implements Schedule {
        @Override
        public double valueAt(long step) {
            checkStep("compounding", step);
            double value = start * Math.pow(compound, step);
            return start > stop ? Math.max(value, stop) : Math.min(value, stop);
        }
    }

    private record WarmupLinear(double initialRate, long warmupSteps, long totalSteps) implements Schedule {
        @Override
        public double valueAt(long step) {
            checkStep("warmupLinear", step);
            // Python's int / int is the correctly rounded quotient, as double division of the same
            // (exactly representable) integers is.
            double factor;
            if (step < warmupSteps) {
                factor = (double) step / Math.max(1, warmupSteps);
            } else {
                factor = Math.max(0.0, (double) (totalSteps - step) / Math.max(1.0, totalSteps - warmupSteps));
            }
            return factor * initialRate;
        }
    }

    private record SlantedTriangular(double maxRate, long numSteps, double cutFrac, double ratio, double t, long cut)
            implements Schedule {
        @Override
        public double valueAt(long step) {
            checkStep("slantedTriangular", step);
            // Thinc 8 increments t before computing the first value.
            double s = t + (step + 1.0);
            double p;
            if (s < cut) {
                p = s / cut;
            } else {
                p = 1 - ((s - cut) / (cut * (1 / cutFrac - 1)));
            }
            return maxRate * (1 + p * (ratio - 1)) * (1 / ratio);
        }
    }

    private record CyclicTriangular(double minLr, double maxLr, long period) implements Schedule {
        @Override
        public double valueAt(long step) {
            checkStep("cyclicTriangular", step);
            double it = step + 1.0;
            double cycle = Math.floor(1 + it / (2.0 * period));
            double x = Math.abs(it / period - 2 * cycle + 1);
            double relative = Math.max(0, 1 - x);
            return minLr + (maxLr - minLr) * relative;
        }
    }
}
