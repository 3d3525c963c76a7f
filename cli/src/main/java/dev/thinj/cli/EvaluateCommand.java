package dev.thinj.cli;

import dev.thinj.model.Model;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.TrainedModel;
import dev.thinj.train.data.FashionMnist;
import dev.thinj.train.data.Split;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code thinj evaluate MODEL [DATA]}: accuracy of a trained model on a Fashion-MNIST test split. */
@Command(name = "evaluate", description = "Accuracy of a trained model on the test split of DATA (default: the embedded subset).")
final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a model file written by thinj train")
    Path model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DATA", description = "folder with the IDX files")
    Path data;

    @Option(names = "--config", description = "the config the model was trained with (default: config.cfg beside MODEL)")
    Path config;

    @Option(names = "--ops", description = "backend: cpu, cuda or auto")
    String ops;

    @Override
    public Integer call() {
        try (OpsScope scope = BackendOption.use(ops)) {
            Model<FloatArray, FloatArray> m = TrainedModel.load(InputFiles.model(model),
                    config == null ? null : InputFiles.config(config));
            Split test = data != null
                    ? FashionMnist.load(InputFiles.folder(data, InputFiles.DATA_HINT + " (or leave DATA out for the"
                            + " embedded subset)"), "test")
                    : FashionMnist.embedded("test");
            Ops o = m.ops();
            int[] guesses = o.argmax(m.predict(o.asArray(test.features(), test.count(), test.width()))).toIntArray();
            int correct = 0;
            for (int i = 0; i < guesses.length; i++) {
                correct += guesses[i] == test.labels()[i] ? 1 : 0;
            }
            spec.commandLine().getOut().printf("accuracy %.4f (%d of %d test images)%n",
                    (double) correct / Math.max(1, guesses.length), correct, guesses.length);
        }
        return 0;
    }
}
