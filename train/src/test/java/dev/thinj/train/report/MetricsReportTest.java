package dev.thinj.train.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.serialize.ModelFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsReportTest {
    @TempDir
    Path dir;

    private final List<EpochMetrics> epochs = List.of(
            new EpochMetrics(1, 0.52, Map.of("accuracy", 0.81), 3.1, 19354),
            new EpochMetrics(2, 0.39, Map.of("accuracy", 0.85), 3.0, 20000),
            new EpochMetrics(3, 0.35, Map.of("accuracy", 0.86), 3.2, 18750));

    @Test
    void metricsRoundTripAndATornLastLineIsSkipped() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        epochs.forEach(m -> MetricsLog.append(file, m));
        assertThat(MetricsLog.read(file)).containsExactlyElementsOf(epochs);
        assertThat(Files.readAllLines(file).get(0)).startsWith("{\"epoch\":1,\"loss\":0.52");
        Files.write(file, "{\"epoch\":4,\"lo".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        assertThat(MetricsLog.read(file)).containsExactlyElementsOf(epochs);
        assertThat(MetricsLog.read(dir.resolve("none.jsonl"))).isEmpty();
    }

    @Test
    void aBrokenLineInTheMiddleIsNamed() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "not json\n{\"epoch\":1,\"loss\":1,\"dev_accuracy\":0.5,\"seconds\":1,\"samples_per_s\":1}\n");
        assertThatThrownBy(() -> MetricsLog.read(file)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("metrics.jsonl:1");
    }

    @Test
    void thePlotIsAPngOfTheRequestedSize() throws Exception {
        Path png = dir.resolve("training.png");
        MetricsPlot.write(epochs, "Fashion-MNIST MLP", png);
        var image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(500);
    }
}
