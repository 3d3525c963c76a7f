package dev.thinj.model.optimizers;

import dev.thinj.model.schedules.Schedule;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configures an {@link Optimizer}. Every hyperparameter takes a number, a list (one value per step,
 * then the last), an iterator, or a {@link Schedule}, as Thinc's. Start from {@link Adam#builder()},
 * {@link SGD#builder(double)} or {@link RAdam#builder()}, which fill Thinc's defaults.
 */
public final class OptimizerBuilder {
    private final ThincOptimizer.Kind kind;
    private final Map<String, Schedule> hypers = new LinkedHashMap<>();
    private boolean useAverages = true;
    private boolean l2IsWeightDecay = true;

    OptimizerBuilder(ThincOptimizer.Kind kind, double learnRate, double beta1, double beta2) {
        this.kind = kind;
        hypers.put("learn_rate", Schedule.constant(learnRate));
        hypers.put("beta1", Schedule.constant(beta1));
        hypers.put("beta2", Schedule.constant(beta2));
        hypers.put("eps", Schedule.constant(1e-8));
        hypers.put("L2", Schedule.constant(0.0));
        hypers.put("grad_clip", Schedule.constant(1.0));
    }

    private OptimizerBuilder set(String name, Schedule value) {
        if (value == null) {
            throw new IllegalArgumentException("Optimizer: hyperparameter '" + name + "' is null");
        }
        hypers.put(name, value);
        return this;
    }

    /**
     * Sets any hyperparameter from a number, list, iterator or schedule: the form configs use.
     *
     * @param name learn_rate, beta1, beta2, eps, L2 or grad_clip
     * @param value a {@link Number}, {@link List} of numbers, {@link Iterator} of numbers or {@link Schedule}
     * @return this builder
     */
    public OptimizerBuilder hyper(String name, Object value) {
        if (!hypers.containsKey(name)) {
            throw new IllegalArgumentException("Optimizer: unknown hyperparameter '" + name + "'; expected one of "
                    + hypers.keySet());
        }
        return set(name, toSchedule(name, value));
    }

    @SuppressWarnings("unchecked")
    static Schedule toSchedule(String name, Object value) {
        if (value instanceof Schedule s) {
            return s;
        }
        if (value instanceof Number n) {
            return Schedule.constant(n.doubleValue());
        }
        if (value instanceof List<?> l) {
            return Schedule.of((List<? extends Number>) l);
        }
        if (value instanceof Iterator<?> it) {
            return Schedule.of((Iterator<? extends Number>) it);
        }
        throw new IllegalArgumentException("Optimizer: hyperparameter '" + name
                + "' must be a number, list, iterator or schedule, got " + (value == null ? "null" : value.getClass().getName()));
    }

    /** @param value the learning rate @return this builder */
    public OptimizerBuilder learnRate(double value) {
        return set("learn_rate", Schedule.constant(value));
    }

    /** @param value a learning-rate schedule @return this builder */
    public OptimizerBuilder learnRate(Schedule value) {
        return set("learn_rate", value);
    }

    /** @param values one learning rate per step, then the last @return this builder */
    public OptimizerBuilder learnRate(List<? extends Number> values) {
        return set("learn_rate", Schedule.of(values));
    }

    /** @param values learning rates drawn one per step @return this builder */
    public OptimizerBuilder learnRate(Iterator<? extends Number> values) {
        return set("learn_rate", Schedule.of(values));
    }

    /** @param value Adam's first-moment decay @return this builder */
    public OptimizerBuilder beta1(double value) {
        return set("beta1", Schedule.constant(value));
    }

    /** @param value a schedule for beta1 @return this builder */
    public OptimizerBuilder beta1(Schedule value) {
        return set("beta1", value);
    }

    /** @param value Adam's second-moment decay @return this builder */
    public OptimizerBuilder beta2(double value) {
        return set("beta2", Schedule.constant(value));
    }

    /** @param value a schedule for beta2 @return this builder */
    public OptimizerBuilder beta2(Schedule value) {
        return set("beta2", value);
    }

    /** @param value Adam's epsilon @return this builder */
    public OptimizerBuilder eps(double value) {
        return set("eps", Schedule.constant(value));
    }

    /** @param value a schedule for epsilon @return this builder */
    public OptimizerBuilder eps(Schedule value) {
        return set("eps", value);
    }

    /** @param value the L2 penalty (weight decay by default) @return this builder */
    public OptimizerBuilder l2(double value) {
        return set("L2", Schedule.constant(value));
    }

    /** @param value a schedule for L2 @return this builder */
    public OptimizerBuilder l2(Schedule value) {
        return set("L2", value);
    }

    /** @param value the largest gradient norm kept per parameter; 0 turns clipping off @return this builder */
    public OptimizerBuilder gradClip(double value) {
        return set("grad_clip", Schedule.constant(value));
    }

    /** @param value a schedule for the clipping threshold @return this builder */
    public OptimizerBuilder gradClip(Schedule value) {
        return set("grad_clip", value);
    }

    /**
     * @param value true (Thinc's default): L2 is decoupled weight decay applied after the step, as
     *     AdamW; false: {@code L2 * w} is added to the gradient before clipping
     * @return this builder
     */
    public OptimizerBuilder l2IsWeightDecay(boolean value) {
        this.l2IsWeightDecay = value;
        return this;
    }

    /** @param value keep an exponential moving average of every parameter (default true) @return this builder */
    public OptimizerBuilder useAverages(boolean value) {
        this.useAverages = value;
        return this;
    }

    /** @return the optimizer */
    public Optimizer build() {
        return new ThincOptimizer(kind, hypers, useAverages, l2IsWeightDecay);
    }
}
