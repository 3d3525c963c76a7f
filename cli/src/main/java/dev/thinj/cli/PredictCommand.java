package dev.thinj.cli;

import dev.thinj.model.Model;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.TrainedModel;
import dev.thinj.train.data.DataException;
import dev.thinj.train.data.Idx;
import dev.thinj.train.data.IdxImages;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code thinj predict MODEL IMAGES}: the predicted Fashion-MNIST class of each image in an IDX file. */
@Command(name = "predict", description = "Print the predicted class of each image in an IDX image file.")
final class PredictCommand implements Callable<Integer> {
    /** Fashion-MNIST's class names, by index. */
    static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a model file written by thinj train")
    Path model;

    @Parameters(index = "1", paramLabel = "IMAGES", description = "an IDX image file, gzipped or not")
    Path images;

    @Option(names = "--config", description = "the config the model was trained with (default: config.cfg beside MODEL)")
    Path config;

    @Option(names = "--limit", description = "predict at most this many images (default: all)")
    int limit = Integer.MAX_VALUE;

    @Option(names = "--ops", description = "backend: cpu, cuda or auto")
    String ops;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        }
        try (OpsScope scope = BackendOption.use(ops)) {
            Model<FloatArray, FloatArray> m = TrainedModel.load(InputFiles.model(model),
                    config == null ? null : InputFiles.config(config));
            IdxImages idx = images();
            int n = Math.min(limit, idx.count());
            int width = idx.rows() * idx.cols();
            float[] pixels = java.util.Arrays.copyOf(idx.toFloats(), n * width);
            Ops o = m.ops();
            FloatArray probs = m.predict(o.asArray(pixels, n, width));
            int[] best = o.argmax(probs).toIntArray();
            PrintWriter out = spec.commandLine().getOut();
            for (int i = 0; i < n; i++) {
                out.printf("%d\t%d\t%s\t%.3f%n", i, best[i], best[i] < CLASSES.size() ? CLASSES.get(best[i]) : "?",
                        probs.get(i, best[i]));
            }
            out.flush();
        }
        return 0;
    }

    /** @return the images, or a one-line error naming the file and what to give instead */
    private IdxImages images() {
        InputFiles.file(images, "an IDX image file", InputFiles.IMAGES_HINT);
        try {
            return Idx.readImages(images);
        } catch (DataException e) {
            throw new DataException(e.getMessage() + "; " + InputFiles.IMAGES_HINT, e);
        }
    }
}
