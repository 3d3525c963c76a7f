package dev.thinj.ops.cuda.model;

import dev.thinj.model.Model;
import dev.thinj.ops.FloatArray;
import java.util.List;
import java.util.Locale;

/**
 * The accuracy checks of the GPU bundle ({@code gpu-bundle/GpuAgreement.java}), with tolerances that follow
 * from a stated model rather than a number of points:
 *
 * <p><b>Same weights</b> ({@link #sameWeights}). One trained model, evaluated on a backend, against
 * the exact (double) evaluation of the same weights on the host: every probability must lie within
 * its tolerance under the probabilistic rounding model ({@link ProbabilisticBounds}: exceeded by
 * rounding alone with probability below 3e-14; the worst-case bounds of {@link MlpBounds} are too wide
 * for three layers of hundreds of terms to catch a bug); an image is <em>decisive</em> when its top
 * class beats every other by more than both tolerances, and then the backend must predict it; the
 * accuracies may differ only by the share of images that are not decisive (near ties, where either
 * answer is right under rounding).
 *
 * <p><b>Two training runs</b> ({@link #mcnemar}). A CPU run and a CUDA run of the same config start
 * alike and differ only by rounding, which Adam amplifies over hundreds of steps into differences like
 * those between seeds: neither run is better in expectation. So among the test images that exactly
 * one of the two models gets right, each model is as likely to be the one (McNemar's null
 * hypothesis); with {@code b} and {@code c} such images, {@code |b - c| <= 3 sqrt(b + c)} holds with
 * probability 0.997. A CUDA bug that hurts training shows as a one-sided excess; a fixed 0.5-point
 * tolerance would instead fail by chance on a GPU or miss a bug, depending on the run.
 */
public final class PredictionAgreement {
    /** McNemar's limit, in standard deviations. */
    public static final double Z_LIMIT = 3.0;

    private PredictionAgreement() {
    }

    /**
     * One model on one backend against the exact evaluation of its weights.
     *
     * @param images images evaluated
     * @param outsideBound probabilities farther from the exact ones than their tolerance
     * @param worstRatio the largest difference divided by its tolerance (below 1 passes)
     * @param decisiveDisagreements decisive images the backend predicts otherwise
     * @param nearTies images that are not decisive
     * @param backendAccuracy the backend's accuracy
     * @param exactAccuracy the exact evaluation's accuracy
     * @param predictions the backend's predicted classes
     */
    public record SameWeights(int images, int outsideBound, double worstRatio, int decisiveDisagreements, int nearTies,
            double backendAccuracy, double exactAccuracy, int[] predictions) {
        /** @return whether every check holds */
        public boolean passed() {
            return outsideBound == 0 && decisiveDisagreements == 0
                    && Math.abs(backendAccuracy - exactAccuracy) <= (double) nearTies / images + 1e-12;
        }

        /** @return one line for the results table */
        public String describe(String backend) {
            return String.format(Locale.ROOT, "%d images: %d probabilities outside their rounding tolerance (largest "
                    + "difference %.2g of it), %d decisive images predicted otherwise, %d near ties; accuracy %s %.4f, "
                    + "exact %.4f (may differ by %.4f)", images, outsideBound, worstRatio,
                    decisiveDisagreements, nearTies, backend, backendAccuracy, exactAccuracy, (double) nearTies / images);
        }
    }

    /**
     * @param model a ReLU/dropout/softmax chain (see {@link DenseLayers}), on the backend to check
     * @param x the images, {@code rows x width} row-major
     * @param rows images
     * @param labels their classes
     * @return the comparison with the exact evaluation
     */
    public static SameWeights sameWeights(Model<FloatArray, FloatArray> model, float[] x, int rows, int[] labels) {
        List<DenseLayers.Layer> layers = DenseLayers.of(model, false);
        int width = layers.get(0).nI();
        float[] p;
        try (FloatArray input = model.ops().asArray(x, rows, width); FloatArray out = model.predict(input)) {
            p = out.toFloatArray();
        }
        return check(p, ProbabilisticBounds.forward(layers, x, rows), labels);
    }

    /**
     * @param p a backend's probabilities, {@code rows x classes}
     * @param exact the exact evaluation and its bounds
     * @param labels the classes
     * @return the comparison
     */
    static SameWeights check(float[] p, MlpBounds.Forward exact, int[] labels) {
        int rows = exact.rows();
        int n = exact.classes();
        int outside = 0;
        double worst = 0;
        int disagreements = 0;
        int ties = 0;
        int rightBackend = 0;
        int rightExact = 0;
        int[] predictions = new int[rows];
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            for (int j = 0; j < n; j++) {
                double tol = exact.dP()[o + j];
                double diff = Math.abs(p[o + j] - exact.p()[o + j]);
                worst = Math.max(worst, tol > 0 ? diff / tol : diff > 0 ? Double.POSITIVE_INFINITY : 0);
                outside += diff <= tol ? 0 : 1;
            }
            int top = argmax(exact.p(), o, n);
            boolean decisive = true;
            double floor = exact.p()[o + top] - exact.dP()[o + top];
            for (int j = 0; j < n; j++) {
                if (j != top && exact.p()[o + j] + exact.dP()[o + j] >= floor) {
                    decisive = false;
                }
            }
            int predicted = argmax(p, o, n);
            predictions[r] = predicted;
            if (!decisive) {
                ties++;
            } else if (predicted != top) {
                disagreements++;
            }
            rightBackend += predicted == labels[r] ? 1 : 0;
            rightExact += top == labels[r] ? 1 : 0;
        }
        return new SameWeights(rows, outside, worst, disagreements, ties, (double) rightBackend / rows,
                (double) rightExact / rows, predictions);
    }

    /**
     * @param model a chain as for {@link #sameWeights}
     * @param x the images
     * @param rows images
     * @return the exact evaluation's predicted classes (no backend involved)
     */
    public static int[] exactPredictions(Model<FloatArray, FloatArray> model, float[] x, int rows) {
        MlpBounds.Forward exact = MlpBounds.forward(DenseLayers.of(model, false), x, rows);
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = argmax(exact.p(), r * exact.classes(), exact.classes());
        }
        return out;
    }

    /**
     * Two training runs' models on the same test images.
     *
     * @param images images
     * @param accuracyA run A's accuracy
     * @param accuracyB run B's accuracy
     * @param onlyA images only A gets right
     * @param onlyB images only B gets right
     */
    public record Runs(int images, double accuracyA, double accuracyB, int onlyA, int onlyB) {
        /** @return McNemar's statistic {@code (b - c) / sqrt(b + c)} (0 when no image splits them) */
        public double z() {
            int n = onlyA + onlyB;
            return n == 0 ? 0 : (onlyA - onlyB) / Math.sqrt(n);
        }

        /** @return whether {@code |z| <= }{@link #Z_LIMIT} */
        public boolean passed() {
            return Math.abs(z()) <= Z_LIMIT;
        }

        /** @return one line for the results table */
        public String describe(String a, String b) {
            return String.format(Locale.ROOT, "accuracy %s %.4f, %s %.4f on %d images; right only with %s %d, only with "
                    + "%s %d: McNemar z = %.2f (limit %.0f)", a, accuracyA, b, accuracyB, images, a, onlyA, b, onlyB, z(),
                    Z_LIMIT);
        }
    }

    /**
     * @param a run A's predictions
     * @param b run B's predictions
     * @param labels the classes
     * @return the comparison
     */
    public static Runs mcnemar(int[] a, int[] b, int[] labels) {
        if (a.length != labels.length || b.length != labels.length) {
            throw new IllegalArgumentException("predictions for " + a.length + " and " + b.length + " images, labels for "
                    + labels.length);
        }
        int rightA = 0;
        int rightB = 0;
        int onlyA = 0;
        int onlyB = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean ra = a[i] == labels[i];
            boolean rb = b[i] == labels[i];
            rightA += ra ? 1 : 0;
            rightB += rb ? 1 : 0;
            onlyA += ra && !rb ? 1 : 0;
            onlyB += rb && !ra ? 1 : 0;
        }
        int n = Math.max(1, labels.length);
        return new Runs(labels.length, (double) rightA / n, (double) rightB / n, onlyA, onlyB);
    }

    private static int argmax(double[] v, int o, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[o + j] > v[o + best]) {
                best = j;
            }
        }
        return best;
    }

    private static int argmax(float[] v, int o, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[o + j] > v[o + best]) {
                best = j;
            }
        }
        return best;
    }
}
