package dev.thinj.model.optimizers;

import dev.thinj.model.ParamKey;
import dev.thinj.model.schedules.LastScore;
import dev.thinj.model.schedules.Schedule;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.NumericException;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OptimizerKernels;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thinc's {@code Optimizer}, one class for SGD, Adam and RAdam, with Thinc's update order per
 * parameter: count the update; add {@code L2 * w} to the gradient (classic L2) or, after the step,
 * shrink the weights by {@code lr * L2} (decoupled weight decay, Thinc's default); clip the gradient by
 * its L2 norm (a NaN norm is an error here, where Thinc carries on); step; zero the gradient; update
 * the parameter average (for Adam, the step, the decay and the average are one kernel,
 * {@link Ops#adamUpdate}). Built by {@link Adam}, {@link SGD} and {@link RAdam}.
 */
final class ThincOptimizer implements Optimizer {
    enum Kind { SGD, ADAM, RADAM }

    /** Thinc's cap on the decay of the parameter averages. */
    private static final double MAX_AVERAGES_DECAY = 0.9999;

    private final Kind kind;
    private final Map<String, Schedule> hypers;
    private final boolean useAverages;
    private final boolean l2IsWeightDecay;
    private long step;
    /** The latest evaluation score, for schedules such as plateau (Thinc 9's {@code last_score}). */
    private LastScore lastScore;

    private final Map<ParamKey, FloatArray> mom1 = new HashMap<>();
    private final Map<ParamKey, FloatArray> mom2 = new HashMap<>();
    private final Map<ParamKey, FloatArray> averages = new LinkedHashMap<>();
    private final Map<ParamKey, Integer> nrUpdate = new HashMap<>();

    ThincOptimizer(Kind kind, Map<String, Schedule> hypers, boolean useAverages, boolean l2IsWeightDecay) {
        this.kind = kind;
        this.hypers = new LinkedHashMap<>(hypers);
        this.useAverages = useAverages;
        this.l2IsWeightDecay = l2IsWeightDecay;
        this.hypers.forEach((name, s) -> value(name));  // fail now, not mid-training, on a broken schedule
    }

    private double value(String name) {
        Schedule s = hypers.get(name);
        if (s == null) {
            return 0.0;
        }
        double v = s.valueAt(step, lastScore);
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException("Optimizer: hyperparameter '" + name + "' is NaN at step " + step);
        }
        return v;
    }

    @Override
    public void update(ParamKey key, FloatArray param, FloatArray grad) {
        if (grad.size() < 1) {
            return;
        }
        Ops ops = param.ops();
        // Thinc counts the update first; it is recorded only once clipping has accepted the gradient,
        // so an update refused for a NaN leaves the key's state as it was.
        int nrUpd = nrUpdate.getOrDefault(key, 0) + 1;
        double learnRate = value("learn_rate");
        double l2 = value("L2");
        double gradClip = value("grad_clip");
        if (l2 != 0 && !l2IsWeightDecay) {
            ops.axpy((float) l2, param, grad);
        }
        if (gradClip != 0) {
            clip(ops, key, grad, gradClip);
        }
        nrUpdate.put(key, nrUpd);
        double b1 = value("beta1");
        double b2 = value("beta2");
        double eps = value("eps");
        switch (kind) {
            case RADAM:
                radam(ops, key, param, grad, nrUpd, learnRate, b1, b2, eps);
                break;
            case ADAM:
                if (b1 > 0 && b2 > 0) {
                    double fix1 = 1.0 - Math.pow(b1, nrUpd);
                    double fix2 = 1.0 - Math.pow(b2, nrUpd);
                    double lr = learnRate * Math.sqrt(fix2) / fix1;
                    // Adam, weight decay and averages in one pass over the arrays: the same floats as the
                    // three kernels the other optimizers take below.
                    float decay = l2 != 0 && l2IsWeightDecay ? (float) (-learnRate * l2) : 0f;
                    FloatArray avg = useAverages ? average(ops, key, param) : null;
                    ops.adamUpdate(param, grad, moment(mom1, key, param), moment(mom2, key, param), avg, (float) b1,
                            (float) b2, (float) eps, (float) lr, 1f, decay,
                            OptimizerKernels.averagesRate(nrUpd, MAX_AVERAGES_DECAY));
                    return;
                }
                if (b2 > 0) {
                    throw new IllegalArgumentException("Adam with beta1 <= 0 and beta2 > 0 is not supported (nor in Thinc)");
                }
                ops.sgd(param, grad, (float) learnRate);
                break;
            default:
                ops.sgd(param, grad, (float) learnRate);
        }
        if (l2 != 0 && l2IsWeightDecay) {
            ops.axpy((float) (-learnRate * l2), param, param);
        }
        if (useAverages) {
            ops.updateAverages(average(ops, key, param), param, nrUpd, MAX_AVERAGES_DECAY);
        }
    }

    private FloatArray average(Ops ops, ParamKey key, FloatArray param) {
        return averages.computeIfAbsent(key, k -> ArrayScope.detach(ops.like(param)));
    }

    /**
     * Clips as Thinc does, except that a NaN norm is an error: Thinc's {@code NaN >= grad_clip} is
     * false, so it would carry on and write NaN into the weights. The kernel cannot know which
     * parameter it was given, so the error is re-raised naming the key (on an asynchronous backend
     * the kernel may only report at a later synchronisation, without the key).
     */
    private static void clip(Ops ops, ParamKey key, FloatArray grad, double gradClip) {
        try {
            ops.clipGradient(grad, (float) gradClip);
        } catch (NumericException e) {
            NumericException named = new NumericException("Optimizer: the gradient of parameter " + key
                    + " cannot be clipped: " + e.getMessage());
            named.initCause(e);
            throw named;
        }
    }

    /**
     * Thinc's RAdam, including its quirks: the step count is one ahead of the update count (Thinc
     * increments a copy of it), the learning-rate scale is not applied, and before the variance is
     * tractable it degenerates to SGD with momentum.
     */
    private void radam(Ops ops, ParamKey key, FloatArray param, FloatArray grad, int nrUpd, double learnRate, double b1,
            double b2, double eps) {
        int t = nrUpd + 1;
        double beta2t = Math.pow(b2, t);
        double nSmaMax = 2 / (1 - b2) - 1;
        double nSma = nSmaMax - 2 * t * beta2t / (1 - beta2t);
        double stepSize;
        if (nSma >= 5) {
            stepSize = Math.sqrt((1 - beta2t) * (nSma - 4) / (nSmaMax - 4) * (nSma - 2) / nSma * nSmaMax / (nSmaMax - 2))
                    / (1 - Math.pow(b1, t));
        } else {
            stepSize = 1.0 / (1 - Math.pow(b1, t));
        }
        ops.radam(param, grad, moment(mom1, key, param), moment(mom2, key, param), (float) b1, (float) b2, (float) eps,
                (float) (stepSize * learnRate), nSma >= 5);
    }

    private static FloatArray moment(Map<ParamKey, FloatArray> moments, ParamKey key, FloatArray param) {
        // Optimizer state outlives the step (and any per-step scope) in which the first update made it.
        return moments.computeIfAbsent(key, k -> ArrayScope.detach(param.ops().like(param)));
    }

    @Override
    public void setLastScore(long scoreStep, double score) {
        lastScore = new LastScore(scoreStep, score);
    }

    @Override
    public void stepSchedules() {
        step++;
        // Thinc's step_schedules calls next() on every schedule now, not when the value is next read:
        // an iterator is drawn once per step, in step with training, and a schedule that breaks (or
        // turns NaN) fails at the step that reached it rather than in some later update.
        hypers.keySet().forEach(this::value);
    }

    @Override
    public Map<ParamKey, FloatArray> averages() {
        return Collections.unmodifiableMap(averages);
    }

    @Override
    public double learnRate() {
        return value("learn_rate");
    }

    /**
     * @param name a hyperparameter: learn_rate, beta1, beta2, eps, L2 or grad_clip
     * @return its value at the current step
     */
    double hyper(String name) {
        if (!hypers.containsKey(name)) {
            throw new IllegalArgumentException("Optimizer: no hyperparameter '" + name + "'; it has " + hypers.keySet());
        }
        return value(name);
    }

    // ---- state, for OptimizerState (checkpoints) -------------------------------------------------

    long step() {
        return step;
    }

    void restoreStep(long restored, LastScore restoredScore) {
        this.step = restored;
        this.lastScore = restoredScore;
    }

    LastScore lastScore() {
        return lastScore;
    }

    Map<ParamKey, Integer> updateCounts() {
        return nrUpdate;
    }

    Map<ParamKey, FloatArray> firstMoments() {
        return mom1;
    }

    Map<ParamKey, FloatArray> secondMoments() {
        return mom2;
    }

    Map<ParamKey, FloatArray> averagesMutable() {
        return averages;
    }

    @Override
    public String toString() {
        return kind + "(step " + step + ", learn_rate " + learnRate() + ")";
    }
}
