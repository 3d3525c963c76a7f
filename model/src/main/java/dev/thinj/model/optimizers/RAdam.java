package dev.thinj.model.optimizers;

/**
 * Thinc's {@code RAdam} (rectified Adam), with Adam's defaults. Thinc's port has quirks that are kept:
 * its step counter runs one ahead of the update count, and before the variance estimate is tractable
 * ({@code N_sma < 5}) it takes SGD-with-momentum steps.
 */
public final class RAdam {
    private RAdam() {
    }

    /** @return a builder with Thinc's defaults */
    public static OptimizerBuilder builder() {
        return new OptimizerBuilder(ThincOptimizer.Kind.RADAM, 0.001, 0.9, 0.999);
    }

    /**
     * @param learnRate the learning rate
     * @return RAdam with Thinc's other defaults
     */
    public static Optimizer of(double learnRate) {
        return builder().learnRate(learnRate).build();
    }
}
