package dev.thinj.model.registry;

import dev.thinj.model.schedules.Schedule;
import dev.thinj.model.schedules.Schedules;

/**
 * Thinc 8's schedules ({@code thinc/schedules.py}), plus Thinc 9's {@code plateau.v1}. A schedule is
 * a {@link Schedule}; optimizers and batch sizes take it wherever Thinc takes a generator.
 */
final class BuiltinSchedules {
    private BuiltinSchedules() {
    }

    @Registered(registry = "schedules", name = "constant.v1")
    static Schedule constant(@Arg("rate") double rate) {
        return Schedules.constant(rate);
    }

    @Registered(registry = "schedules", name = "constant_then.v1")
    static Schedule constantThen(@Arg("rate") double rate, @Arg("steps") long steps, @Arg("schedule") Schedule schedule) {
        return Schedules.constantThen(rate, steps, schedule);
    }

    @Registered(registry = "schedules", name = "decaying.v1")
    static Schedule decaying(@Arg("base_rate") double baseRate, @Arg("decay") double decay,
            @Arg(value = "t", defaultJson = "0") long t) {
        return Schedules.decaying(baseRate, decay, t);
    }

    @Registered(registry = "schedules", name = "compounding.v1")
    static Schedule compounding(@Arg("start") double start, @Arg("stop") double stop, @Arg("compound") double compound,
            @Arg(value = "t", defaultJson = "0.0") double t) {
        return Schedules.compounding(start, stop, compound, t);
    }

    @Registered(registry = "schedules", name = "slanted_triangular.v1")
    static Schedule slantedTriangular(@Arg("max_rate") double maxRate, @Arg("num_steps") long numSteps,
            @Arg(value = "cut_frac", defaultJson = "0.1") double cutFrac,
            @Arg(value = "ratio", defaultJson = "32") long ratio,
            @Arg(value = "decay", defaultJson = "1.0") double decay,
            @Arg(value = "t", defaultJson = "0.0") double t) {
        return Schedules.slantedTriangular(maxRate, numSteps, cutFrac, ratio, decay, t);
    }

    @Registered(registry = "schedules", name = "warmup_linear.v1")
    static Schedule warmupLinear(@Arg("initial_rate") double initialRate, @Arg("warmup_steps") long warmupSteps,
            @Arg("total_steps") long totalSteps) {
        return Schedules.warmupLinear(initialRate, warmupSteps, totalSteps);
    }

    @Registered(registry = "schedules", name = "cyclic_triangular.v1")
    static Schedule cyclicTriangular(@Arg("min_lr") double minLr, @Arg("max_lr") double maxLr,
            @Arg("period") long period) {
        return Schedules.cyclicTriangular(minLr, maxLr, period);
    }

    /** Thinc 9's {@code plateau.v1}; Thinc 8.1 has no such schedule. */
    @Registered(registry = "schedules", name = "plateau.v1")
    static Schedule plateau(@Arg("max_patience") int maxPatience, @Arg("scale") double scale,
            @Arg("schedule") Schedule schedule) {
        return Schedules.plateau(maxPatience, scale, schedule);
    }
}
