package dev.thinj.train.data.csv;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.thinj.model.config.Config;
import dev.thinj.model.registry.Registry;
import dev.thinj.train.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times reading a large CSV file through the {@code csv.v1} dataset function (as a training config
 * does), and, for comparison, the obvious way (a String per field, {@link Float#parseFloat}, a
 * float[] per row in a list): seconds, MB/s and bytes allocated on the reading thread. Run by
 * {@code benchmarks/scripts/csv-read.sh}, which writes the file; not a test.
 *
 * <pre>java ... CsvReadBenchmark FILE [REPEATS] [LABEL_COLUMN]</pre>
 */
public final class CsvReadBenchmark {
    private CsvReadBenchmark() {
    }

    /** @param args the file, the number of timed repeats (default 3), the label column (default "label") */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String label = args.length > 2 ? args[2] : "label";
        double mb = Files.size(file) / 1e6;
        Config config = Config.parse("[data]\n@datasets = \"csv.v1\"\ntrain = \"" + file + "\"\nlabel = \"" + label
                + "\"\ndev_fraction = 0.2\n");
        System.out.printf(Locale.ROOT, "%s: %.1f MB%n", file, mb);
        for (int r = 0; r <= repeats; r++) {
            long[] allocated = new long[1];
            long t0 = System.nanoTime();
            Dataset d = measure(allocated, () -> Registry.global().resolve(config).get("data", Dataset.class));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%s csv.v1: %.2f s, %.0f MB/s, %d + %d rows of %d features, %d classes,"
                    + " allocated %.0f MB (the data itself: %.0f MB)%n", r == 0 ? "warm-up" : "run " + r, s, mb / s,
                    d.train().count(), d.test().count(), d.train().width(), d.classes(), allocated[0] / 1e6,
                    (d.train().features().length + d.test().features().length) * 4 / 1e6);
        }
        for (int r = 1; r <= Math.min(2, repeats); r++) {
            long[] allocated = new long[1];
            long t0 = System.nanoTime();
            int rows = measure(allocated, () -> naive(file));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "naive run %d (String per field, Float.parseFloat, float[] per row): %.2f s,"
                    + " %.0f MB/s, %d rows, allocated %.0f MB%n", r, s, mb / s, rows, allocated[0] / 1e6);
        }
    }

    private static int naive(Path file) {
        List<float[]> rows = new ArrayList<>();
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(file)) {
            boolean header = true;
            for (CsvRecord rec : reader) {
                if (header) {
                    header = false;
                    continue;
                }
                float[] row = new float[rec.getFieldCount() - 1];
                for (int i = 1; i < rec.getFieldCount(); i++) {
                    row[i - 1] = Float.parseFloat(rec.getField(i));
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows.size();
    }

    private static <T> T measure(long[] allocated, java.util.function.Supplier<T> read) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        T out = read.get();
        allocated[0] = mx.getThreadAllocatedBytes(id) - before;
        return out;
    }
}
