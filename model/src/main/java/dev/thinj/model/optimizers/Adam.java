package dev.thinj.model.optimizers;

/**
 * Thinc's {@code Adam}: defaults learn_rate 0.001, beta1 0.9, beta2 0.999, eps 1e-8, L2 0 (as weight
 * decay), grad_clip 1.0, averages on. The update runs as the backend's fused {@code adam} kernel with
 * the bias correction {@code lr * sqrt(1 - b2^t) / (1 - b1^t)} computed per parameter.
 */
public final class Adam {
    private Adam() {
    }

    /** @return a builder with Thinc's defaults */
    public static OptimizerBuilder builder() {
        return new OptimizerBuilder(ThincOptimizer.Kind.ADAM, 0.001, 0.9, 0.999);
    }

    /**
     * @param learnRate the learning rate
     * @return Adam with Thinc's other defaults
     */
    public static Optimizer of(double learnRate) {
        return builder().learnRate(learnRate).build();
    }
}
