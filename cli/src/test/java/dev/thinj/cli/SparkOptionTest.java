package dev.thinj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.train.DistributedTraining;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --spark}: the command line does not depend on Spark; without the spark module on the class
 * path the option ends the command at once with one line saying how to get it, before anything is read.
 */
class SparkOptionTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "fashion-mnist-mlp.cfg");

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void theSparkModuleIsNotOnTheCommandLinesClassPath() {
        assertThat(DistributedTraining.find("spark")).isEmpty();
    }

    @Test
    void withAMasterItSaysHowToGetTheModuleInOneLine(@TempDir Path dir) {
        Result r = run("train", EXAMPLE.toString(), "--spark", "local[2]", "--no-progress", "--output", dir.toString());
        assertThat(r.code()).as("stderr: " + r.err()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("thinj: " + TrainCommand.NO_SPARK);
        assertThat(r.out()).isEmpty();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aloneBeforeAnOverrideItTakesNoValue(@TempDir Path dir) {
        Result r = run("train", EXAMPLE.toString(), "--spark", "--training.n_epoch", "1", "--output", dir.toString());
        assertThat(r.code()).as("stderr: " + r.err()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("thinj: " + TrainCommand.NO_SPARK);
    }
}
