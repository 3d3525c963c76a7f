package dev.thinj.model.registry;

import dev.thinj.model.optimizers.Adam;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.model.optimizers.OptimizerBuilder;
import dev.thinj.model.optimizers.RAdam;
import dev.thinj.model.optimizers.SGD;
import dev.thinj.model.schedules.Schedule;

/**
 * Thinc 8's optimizers ({@code thinc/optimizers.py}): every hyperparameter takes a number, a list or
 * a schedule block, so a {@code [optimizer.learn_rate]} schedule arrives as a schedule.
 */
final class BuiltinOptimizers {
    private BuiltinOptimizers() {
    }

    @Registered(registry = "optimizers", name = "Adam.v1")
    static Optimizer adam(
            @Arg(value = "learn_rate", defaultJson = "0.001") Schedule learnRate,
            @Arg(value = "L2", defaultJson = "0.0") Schedule l2,
            @Arg(value = "beta1", defaultJson = "0.9") Schedule beta1,
            @Arg(value = "beta2", defaultJson = "0.999") Schedule beta2,
            @Arg(value = "eps", defaultJson = "1e-08") Schedule eps,
            @Arg(value = "grad_clip", defaultJson = "1.0") Schedule gradClip,
            @Arg(value = "L2_is_weight_decay", defaultJson = "true") boolean l2IsWeightDecay,
            @Arg(value = "use_averages", defaultJson = "true") boolean useAverages) {
        return adamLike(Adam.builder(), learnRate, beta1, beta2, eps, l2, gradClip, l2IsWeightDecay, useAverages);
    }

    @Registered(registry = "optimizers", name = "RAdam.v1")
    static Optimizer radam(
            @Arg(value = "learn_rate", defaultJson = "0.001") Schedule learnRate,
            @Arg(value = "beta1", defaultJson = "0.9") Schedule beta1,
            @Arg(value = "beta2", defaultJson = "0.999") Schedule beta2,
            @Arg(value = "eps", defaultJson = "1e-08") Schedule eps,
            @Arg(value = "L2", defaultJson = "0.0") Schedule l2,
            @Arg(value = "L2_is_weight_decay", defaultJson = "true") boolean l2IsWeightDecay,
            @Arg(value = "grad_clip", defaultJson = "1.0") Schedule gradClip,
            @Arg(value = "use_averages", defaultJson = "true") boolean useAverages) {
        return adamLike(RAdam.builder(), learnRate, beta1, beta2, eps, l2, gradClip, l2IsWeightDecay, useAverages);
    }

    @Registered(registry = "optimizers", name = "SGD.v1")
    static Optimizer sgd(
            @Arg("learn_rate") Schedule learnRate,
            @Arg(value = "L2", defaultJson = "0.0") Schedule l2,
            @Arg(value = "grad_clip", defaultJson = "1.0") Schedule gradClip,
            @Arg(value = "L2_is_weight_decay", defaultJson = "true") boolean l2IsWeightDecay,
            @Arg(value = "use_averages", defaultJson = "true") boolean useAverages) {
        return SGD.builder(0.0).learnRate(learnRate).l2(l2).gradClip(gradClip)
                .l2IsWeightDecay(l2IsWeightDecay).useAverages(useAverages).build();
    }

    private static Optimizer adamLike(OptimizerBuilder b, Schedule learnRate, Schedule beta1, Schedule beta2,
            Schedule eps, Schedule l2, Schedule gradClip, boolean l2IsWeightDecay, boolean useAverages) {
        return b.learnRate(learnRate).beta1(beta1).beta2(beta2).eps(eps).l2(l2).gradClip(gradClip)
                .l2IsWeightDecay(l2IsWeightDecay).useAverages(useAverages).build();
    }
}
