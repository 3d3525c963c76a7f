package dev.thinj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.train.data.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetInfoTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsBothTasks() {
        for (DatasetInfo info : List.of(new DatasetInfo(Task.CLASSIFY, 784, List.of("T-shirt/top", "a,\"b\""), 0),
                new DatasetInfo(Task.REGRESS, 5, List.of(), 2))) {
            Path file = dir.resolve(info.task() + ".json");
            info.write(file);
            assertThat(DatasetInfo.read(file)).isEqualTo(info);
        }
        assertThat(new DatasetInfo(Task.REGRESS, 5, List.of(), 2).outputs()).isEqualTo(2);
    }

    @Test
    void aFileThatIsNotOneIsNamed() throws Exception {
        Path file = dir.resolve("dataset.json");
        for (String text : List.of("", "{}", "[1]", "{\"task\":\"dance\",\"width\":3,\"class_names\":[],\"target_width\":1}",
                "{\"task\":\"classify\",\"width\":3,\"class_names\":[],\"target_width\":0}",
                "{\"task\":\"regress\",\"width\":0,\"class_names\":[],\"target_width\":1}")) {
            Files.writeString(file, text);
            assertThatThrownBy(() -> DatasetInfo.read(file)).as(text).isInstanceOf(ModelFileException.class)
                    .hasMessageContaining(file.toString());
        }
        assertThatThrownBy(() -> DatasetInfo.read(dir.resolve("none.json"))).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("none.json");
    }
}
