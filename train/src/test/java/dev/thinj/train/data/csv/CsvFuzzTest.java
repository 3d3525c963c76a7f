package dev.thinj.train.data.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.Mutations;
import dev.thinj.train.data.DataException;
import dev.thinj.train.data.LoadedDataset;
import dev.thinj.train.data.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * csv.v1 on randomly edited files (characters, delimiters, quotes and line breaks inserted, lines
 * dropped, doubled or cut): the only outcomes allowed are a dataset whose arrays agree in size, or a
 * DataException that names the file. Each try's seed is in its failure message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CsvFuzzTest {
    private static final String GOOD = """
            a,b,c,label
            1,2.5,-3,red
            4,5e-1,6,green
            "7",8,9,blue
            0.1,.2,3.,red
            """;

    @TempDir
    Path dir;

    @Test
    void editedFilesLoadConsistentlyOrFailNamingTheFile() throws IOException {
        Path f = dir.resolve("fuzz.csv");
        int loaded = 0;
        for (long seed = 0; seed < 1500; seed++) {
            Random r = new Random(seed);
            String text = GOOD;
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                text = r.nextBoolean() ? Mutations.mutateLines(text, r)
                        : Mutations.mutateChars(text, r, ",\"\n\r\t .-e1x");
            }
            Files.writeString(f, text);
            Task task = r.nextBoolean() ? Task.CLASSIFY : Task.REGRESS;
            try {
                LoadedDataset d = CsvDataset.load(f, f, 0.2, seed, CsvColumns.defaults(), task);
                loaded++;
                assertThat(d.train().count()).as("seed " + seed).isPositive();
                assertThat(d.train().features()).as("seed " + seed).hasSize(d.train().count() * d.train().width());
                for (float v : d.train().features()) {
                    assertThat(Float.isFinite(v)).as("seed " + seed).isTrue();
                }
                if (task == Task.CLASSIFY) {
                    for (int l : d.train().labels()) {
                        assertThat(l).as("seed " + seed).isBetween(0, d.classes() - 1);
                    }
                }
            } catch (DataException e) {
                assertThat(e.getMessage()).as("seed " + seed).startsWith(f.toString());
            } catch (Throwable e) {
                throw new AssertionError("seed " + seed + ": expected a DataException, got " + e + "\n" + text, e);
            }
        }
        assertThat(loaded).as("some edits leave a readable file").isPositive();
    }
}
