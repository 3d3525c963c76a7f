package dev.thinj.model.optimizers;

/**
 * Thinc's {@code SGD}: {@code w -= lr * g}, defaults L2 0 (as weight decay), grad_clip 1.0, averages
 * on; the learning rate has no default, as in Thinc.
 */
public final class SGD {
    private SGD() {
    }

    /**
     * @param learnRate the learning rate
     * @return a builder with Thinc's defaults
     */
    public static OptimizerBuilder builder(double learnRate) {
        return new OptimizerBuilder(ThincOptimizer.Kind.SGD, learnRate, 0.0, 0.0);
    }

    /**
     * @param learnRate the learning rate
     * @return SGD with Thinc's other defaults
     */
    public static Optimizer of(double learnRate) {
        return builder(learnRate).build();
    }
}
