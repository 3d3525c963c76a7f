package dev.thinj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.train.data.Dataset;
import dev.thinj.train.data.Task;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainedModelTest {
    private static final String CSV = Path.of("..", "examples", "csv-classify", "train.csv").toAbsolutePath()
            .normalize().toString().replace("\\", "/");

    @Test
    void theDatasetResolvesWithVariablesFromOtherSections() {
        Config cfg = Config.parse(String.join("\n", "[paths]", "train = \"" + CSV + "\"",
                "[data]", "@datasets = \"csv.v1\"", "train = ${paths.train}", "label = \"color\"", ""), "run.cfg");
        Dataset data = new TrainedModel(null, cfg, new DatasetInfo(Task.CLASSIFY, 4, List.of("a"), 0)).dataset();
        assertThat(data.classNames()).containsExactly("blue", "green", "red");
        assertThat(data.train().count() + data.test().count()).isEqualTo(300);
    }

    @Test
    void withoutADataSectionTheMessageSaysWhatToAdd() {
        Config cfg = Config.parse("[model]\n@layers = \"Relu.v1\"\n", "run.cfg");
        assertThatThrownBy(() -> new TrainedModel(null, cfg, null).dataset()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no [data] section");
    }
}
