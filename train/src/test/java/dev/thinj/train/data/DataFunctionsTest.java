package dev.thinj.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.model.registry.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every datasets function resolved from config text, as a training config names it. */
class DataFunctionsTest {
    @TempDir
    Path dir;

    private static Dataset resolve(String data) {
        return Registry.global().resolve(Config.parse("[data]\n" + data + "\n")).get("data", Dataset.class);
    }

    private static String quoted(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\") + "\"";
    }

    @Test
    void csvWithEveryArgument() throws IOException {
        Path train = Files.writeString(dir.resolve("t.tsv"), "0\tx\t1\n1\ty\t2\n2\tx\t3\n");
        Dataset d = resolve("@datasets = \"csv.v1\"\ntrain = " + quoted(train) + "\ntest = " + quoted(train)
                + "\nlabel = 1\nfeatures = [2, 0]\nheader = false\ndelimiter = \"\\t\"\ntask = \"classify\"");
        assertThat(d.train().features()).containsExactly(1f, 0f, 2f, 1f, 3f, 2f);
        assertThat(d.classNames()).containsExactly("x", "y");
        Path numbers = Files.writeString(dir.resolve("n.tsv"), "0\t5\t1\n1\t6\t2\n2\t7\t3\n");
        Dataset split = resolve("@datasets = \"csv.v1\"\ntrain = " + quoted(numbers) + "\nheader = false\n"
                + "delimiter = \"\\t\"\nlabel = 0\ntask = \"regress\"\ndev_fraction = 0.34\nseed = 5");
        assertThat(split.task()).isEqualTo(Task.REGRESS);
        assertThat(split.train().count() + split.test().count()).isEqualTo(3);
        assertThat(split.test().count()).isEqualTo(1);
    }

    @Test
    void badArgumentsAndBadFilesAreConfigErrorsWithTheReason() throws IOException {
        Path train = Files.writeString(dir.resolve("t.csv"), "a,y\n1,x\n2,oops,3\n");
        String base = "@datasets = \"csv.v1\"\ntrain = " + quoted(train);
        assertThatThrownBy(() -> resolve(base + "\ntask = \"cluster\"")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("task must be \"classify\" or \"regress\", got \"cluster\"");
        assertThatThrownBy(() -> resolve(base + "\ndev_fraction = 1.5")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("dev_fraction must be between 0 and 1");
        assertThatThrownBy(() -> resolve(base + "\ndelimiter = \";;\"")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("delimiter must be one character");
        assertThatThrownBy(() -> resolve(base)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(train + ":3: 3 fields where the header has 2");
        assertThatThrownBy(() -> resolve("@datasets = \"csv.v1\"")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing argument \"train\"");
    }

    @Test
    void npzAndNpyFromTheNumpyFixtures() throws IOException {
        Path npz = Path.of(fixture("dataset_compressed.npz"));
        Dataset d = resolve("@datasets = \"npz.v1\"\npath = " + quoted(npz));
        assertThat(d.classNames()).containsExactly("0", "1", "2", "3");
        Dataset r = resolve("@datasets = \"npz.v1\"\npath = " + quoted(Path.of(fixture("regress.npz")))
                + "\ntrain_X_key = \"X\"\ntrain_y_key = \"y\"\ntest_X_key = \"Xt\"\ntest_y_key = \"yt\"");
        assertThat(r.task()).isEqualTo(Task.REGRESS);
        Path x = Path.of(fixture("f32.npy"));
        Path y = Path.of(fixture("i32_column_labels.npy"));
        Dataset n = resolve("@datasets = \"npy.v1\"\ntrain_X = " + quoted(x) + "\ntrain_y = " + quoted(y)
                + "\ntest_X = " + quoted(x) + "\ntest_y = " + quoted(y) + "\ntask = \"regress\"");
        assertThat(n.task()).isEqualTo(Task.REGRESS);
        assertThat(n.train().targets()).containsExactly(1f, 0f, 1f);
    }

    @Test
    void idxFromADirectory() throws IOException {
        for (String split : new String[] {"train", "t10k"}) {
            Files.write(dir.resolve(split + "-images-idx3-ubyte"), IdxTest.images(2, 2, 2));
            Files.write(dir.resolve(split + "-labels-idx1-ubyte"), IdxTest.labels(4, 0));
        }
        Dataset d = resolve("@datasets = \"idx.v1\"\npath = " + quoted(dir));
        assertThat(d.classes()).isEqualTo(5);
        assertThat(resolve("@datasets = \"fashion_mnist.v1\"").classes()).isEqualTo(10);
    }

    private static String fixture(String name) throws IOException {
        try (var in = DataFunctionsTest.class.getResourceAsStream("/dev/thinj/train/data/numpy/" + name)) {
            Path tmp = Files.createTempFile("fixture", name);
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp.toString();
        }
    }
}
