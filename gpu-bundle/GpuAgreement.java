import dev.thinj.model.Model;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.ops.cuda.model.PredictionAgreement;
import dev.thinj.train.TrainedModel;
import dev.thinj.train.data.FashionMnist;
import dev.thinj.train.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The GPU bundle's accuracy checks (compiled by gpu-bundle/build.sh into gpu-bundle/target/check/; the
 * tolerances and why are in PredictionAgreement, in ops-cuda's tests):
 * <ol>
 *   <li>same weights: RUN's best model evaluated on BACKEND against the exact (double) evaluation of its
 *       weights, on the embedded Fashion-MNIST test images;</li>
 *   <li>two runs, if REFERENCE is given: RUN's model on BACKEND against REFERENCE's model (the CPU run)
 *       evaluated exactly, by McNemar's test.</li>
 * </ol>
 * Usage: GpuAgreement BACKEND RUN [REFERENCE]   (RUN and REFERENCE: thinj train output folders)
 * Prints one line per check; exits 0 if all pass, 1 if one fails, 2 if a model cannot be read.
 */
public final class GpuAgreement {
    private GpuAgreement() {
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: GpuAgreement BACKEND RUN [REFERENCE]");
            System.exit(2);
        }
        String backend = args[0];
        Path run = Path.of(args[1], "model-best.bin");
        Path reference = args.length == 3 ? Path.of(args[2], "model-best.bin") : null;
        for (Path p : reference == null ? new Path[] {run} : new Path[] {run, reference}) {
            if (!Files.isRegularFile(p)) {
                System.out.println("agreement: no trained model at " + p);
                System.exit(2);
            }
        }
        Split test = FashionMnist.embedded("test");
        boolean ok;
        PredictionAgreement.SameWeights same;
        try (OpsScope scope = Ops.use(backend)) {
            Model<FloatArray, FloatArray> model = TrainedModel.load(run, null);
            same = PredictionAgreement.sameWeights(model, test.features(), test.count(), test.labels());
        }
        System.out.println("same weights (" + backend + " run's model on " + backend + " vs exact): "
                + same.describe(backend) + " -> " + (same.passed() ? "PASS" : "FAIL"));
        ok = same.passed();
        if (reference != null) {
            int[] referencePredictions;
            // Loaded on BACKEND only to read its weights: the predictions are the exact evaluation's.
            try (OpsScope scope = Ops.use(backend)) {
                referencePredictions = PredictionAgreement.exactPredictions(TrainedModel.load(reference, null),
                        test.features(), test.count());
            }
            PredictionAgreement.Runs runs = PredictionAgreement.mcnemar(same.predictions(), referencePredictions,
                    test.labels());
            System.out.println("two runs (" + backend + " run vs the CPU run): " + runs.describe(backend, "cpu") + " -> "
                    + (runs.passed() ? "PASS" : "FAIL"));
            ok &= runs.passed();
        }
        System.exit(ok ? 0 : 1);
    }
}
