package dev.thinj.benchmarks.nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DL4J peer of the epoch race: trains {@link Mlp} (the Fashion-MNIST MLP of thinj's example) on the
 * full 60,000 training images, batch 128, shuffled each epoch, and prints one JSON line as the peer
 * scripts of {@code ../shared/peers} do: median seconds per epoch, samples per second, test accuracy
 * on the 10,000 test images. Each epoch also prints a line {@code epoch N/E S s} on standard error.
 *
 * <pre>
 * OMP_WAIT_POLICY=PASSIVE java -cp benchmarks-nd4j/target/benchmarks-nd4j.jar \
 *     dev.thinj.benchmarks.nd4j.Dl4jEpoch [EPOCHS [DATA_DIR]]
 * </pre>
 *
 * <p>Run it with {@code OMP_WAIT_POLICY=PASSIVE} (as {@code epoch-race.sh} does): ND4J's OpenMP
 * threads otherwise spin between ops and fight OpenBLAS's threads for two cores. The timed epoch
 * includes the batches' gather ({@code Nd4j.pullRows}), as the peers' epochs include theirs.
 */
public final class Dl4jEpoch {
    static final int BATCH = 128;
    static final Path DEFAULT_DATA = Path.of("/usr/share/datasets/fashion-mnist");

    private Dl4jEpoch() {
    }

    /**
     * @param args {@code [EPOCHS [DATA_DIR]]}: default 2 epochs and Debian's dataset folder
     */
    public static void main(String[] args) {
        try {
            if (args.length > 2) {
                throw new IllegalArgumentException("usage: Dl4jEpoch [EPOCHS [DATA_DIR]]");
            }
            int epochs = args.length > 0 ? parseEpochs(args[0]) : 2;
            Path data = args.length > 1 ? Path.of(args[1]) : DEFAULT_DATA;
            System.out.println(run(epochs, data));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("Dl4jEpoch: " + e.getMessage());
            System.exit(2);
        }
    }

    static int parseEpochs(String text) {
        try {
            int epochs = Integer.parseInt(text);
            if (epochs < 1) {
                throw new IllegalArgumentException("EPOCHS must be at least 1, got " + text);
            }
            return epochs;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("EPOCHS must be a whole number, got '" + text + "'", e);
        }
    }

    /**
     * @param epochs how many epochs to train
     * @param data the folder holding the four gzipped IDX files
     * @return the JSON line
     * @throws IOException if the data cannot be read
     */
    static String run(int epochs, Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            throw new IOException(data + ": no Fashion-MNIST folder (apt-get install dataset-fashion-mnist)");
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        INDArray trainX = images(data.resolve("train-images-idx3-ubyte.gz"));
        int[] trainLabels = FashionMnist.labels(data.resolve("train-labels-idx1-ubyte.gz"));
        INDArray testX = images(data.resolve("t10k-images-idx3-ubyte.gz"));
        int[] testLabels = FashionMnist.labels(data.resolve("t10k-labels-idx1-ubyte.gz"));
        int n = (int) trainX.size(0);
        if (trainLabels.length != n || testLabels.length != testX.size(0)) {
            throw new IOException(data + ": image and label counts differ");
        }
        INDArray trainY = oneHot(trainLabels);

        MultiLayerNetwork net = Mlp.create(0);
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Random random = new Random(0);
        double[] seconds = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++) {
            long start = System.nanoTime();
            Collections.shuffle(order, random);
            for (int from = 0; from < n; from += BATCH) {
                int[] rows = new int[Math.min(BATCH, n - from)];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = order.get(from + i);
                }
                net.fit(new DataSet(Nd4j.pullRows(trainX, 1, rows), Nd4j.pullRows(trainY, 1, rows)));
            }
            seconds[epoch] = (System.nanoTime() - start) / 1e9;
            System.err.printf(Locale.ROOT, "epoch %d/%d %.3f s%n", epoch + 1, epochs, seconds[epoch]);
        }
        INDArray predicted = net.output(testX, false).argMax(1);
        int correct = 0;
        for (int i = 0; i < testLabels.length; i++) {
            if (predicted.getInt(i) == testLabels[i]) {
                correct++;
            }
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted[epochs / 2];
        return String.format(Locale.ROOT,
                "{\"system\": \"dl4j-1.0.0-M2.1-cpu\", \"threads\": %s, \"epochs\": %d, \"epoch_s_median\": %.3f, "
                        + "\"samples_per_s\": %d, \"test_acc\": %.4f}",
                Nd4j.getExecutioner().getEnvironmentInformation().getOrDefault("omp.threads", "?"), epochs, median,
                Math.round(n / median), (double) correct / testLabels.length);
    }

    private static INDArray images(Path file) throws IOException {
        float[] pixels = FashionMnist.images(file);
        return Nd4j.create(pixels, new long[] {pixels.length / Mlp.PIXELS, Mlp.PIXELS}, 'c');
    }

    private static INDArray oneHot(int[] labels) throws IOException {
        float[] y = new float[labels.length * Mlp.CLASSES];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= Mlp.CLASSES) {
                throw new IOException("label " + labels[i] + " at row " + i + " is not a Fashion-MNIST class (0-9)");
            }
            y[i * Mlp.CLASSES + labels[i]] = 1f;
        }
        return Nd4j.create(y, new long[] {labels.length, Mlp.CLASSES}, 'c');
    }
}
