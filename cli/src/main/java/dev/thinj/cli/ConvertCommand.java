package dev.thinj.cli;

import dev.thinj.model.Model;
import dev.thinj.model.serialize.ModelFormat;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.TrainedModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code thinj convert CONFIG IN OUT [--to thinc|thinj]}: moves a model's weights between thinj's model
 * file and Thinc's ({@code model.to_bytes()} / {@code to_disk()}), either way. Neither file holds the
 * architecture, so the config that builds the model comes first, as in Thinc.
 */
@Command(name = "convert", description = {"Convert a model file between thinj's format and Thinc's"
        + " (model.to_bytes() / to_disk()), either way.",
    "IN's format is detected (thinj's THINJMDL header, else Thinc's msgpack); OUT gets the other one, or --to's."})
final class ConvertCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "the config that builds the model, in Thinc's format"
            + " (a thinj run's config.cfg, or the one the Thinc model was built from)")
    Path config;

    @Parameters(index = "1", paramLabel = "IN", description = "a thinj model file or a Thinc model file")
    Path input;

    @Parameters(index = "2", paramLabel = "OUT", description = "the file to write (atomically)")
    Path output;

    @Option(names = "--to", paramLabel = "FORMAT", description = "thinc or thinj (default: the format IN is not in)")
    String to;

    @Override
    public Integer call() {
        ModelFormat forced = null;
        if (to != null) {
            try {
                forced = ModelFormat.named(to.trim());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--to: " + e.getMessage());
            }
        }
        // Weights only move from one file to another: the CPU always does.
        try (OpsScope scope = BackendOption.use("cpu")) {
            Path cfg = InputFiles.config(config);
            Path in = InputFiles.model(input);
            checkOutput(output);
            ModelFormat from = ModelFormat.detect(in);
            ModelFormat target = forced != null ? forced : from.other();
            Model<FloatArray, FloatArray> model = TrainedModel.load(in, cfg);
            target.write(model, output);
            PrintWriter w = spec.commandLine().getOut();
            w.println("wrote " + output + " (" + target.description() + ", " + model.walk().size() + " nodes) from "
                    + in + " (" + from.description() + ")" + (target == ModelFormat.THINC
                    ? "; in Thinc, build the model from " + cfg + " and call model.from_disk(\"" + output + "\")"
                    : ""));
            w.flush();
        }
        return 0;
    }

    private static void checkOutput(Path out) {
        if (Files.isDirectory(out)) {
            throw new InputFiles.InputException(out + ": is a folder; give the file to write, such as "
                    + out.resolve("model.thinc"));
        }
        Path folder = out.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new InputFiles.InputException(out + ": no such folder " + folder + "; create it first");
        }
    }
}
