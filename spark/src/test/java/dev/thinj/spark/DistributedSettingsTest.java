package dev.thinj.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.ops.Ops;
import org.junit.jupiter.api.Test;

/** {@code [training.distributed]}: defaults, the command line's master first, and mistakes named at their line. */
class DistributedSettingsTest {
    private static Config config(String section) {
        return Config.parse("[training]\nseed = 1\n\n[training.distributed]\n" + section, "dist.cfg");
    }

    @Test
    void defaultsWithoutTheSection() {
        DistributedSettings s = DistributedSettings.of(Config.parse("[training]\nseed = 1\n", "x.cfg"), null);
        assertThat(s).isEqualTo(new DistributedSettings(DistributedSettings.DEFAULT_MASTER,
                DistributedSettings.Sync.GRADIENTS, 1, 0));
    }

    @Test
    void readsEveryKeyAndTheCommandLinesMasterWins() {
        Config c = config("master = \"local[3]\"\nsync = \"averaging\"\nsteps_per_round = 4\npartitions = 6\n");
        assertThat(DistributedSettings.of(c, null)).isEqualTo(new DistributedSettings("local[3]",
                DistributedSettings.Sync.AVERAGING, 4, 6));
        assertThat(DistributedSettings.of(c, "spark://head:7077").master()).isEqualTo("spark://head:7077");
    }

    @Test
    void mistakesNameTheKeyAndLine() {
        assertThatThrownBy(() -> DistributedSettings.of(config("sync = \"allreduce\"\n"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dist.cfg")
                .hasMessageContaining("sync").hasMessageContaining("\"gradients\" or \"averaging\"");
        assertThatThrownBy(() -> DistributedSettings.of(config("steps_per_round = 4\n"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("steps_per_round")
                .hasMessageContaining("averaging");
        assertThatThrownBy(() -> DistributedSettings.of(config("sync = \"averaging\"\nsteps_per_round = 0\n"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> DistributedSettings.of(config("partitions = 2.5\n"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("partitions");
        assertThatThrownBy(() -> DistributedSettings.of(config("workers = 4\n"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("workers")
                .hasMessageContaining("master, partitions, steps_per_round, sync");
        assertThatThrownBy(() -> DistributedSettings.of(config("master = 7\n"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("master");
    }

    @Test
    void anExecutorWithoutTheBackendItWasAskedForTrainsOnTheCpu() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Ops.backends().stream()
                .noneMatch(b -> b.name().equals("cuda") && b.available()), "a GPU is present here");
        assertThat(WorkerBackend.open("cuda").name()).isEqualTo("cpu");
        assertThat(WorkerBackend.open("cuda").name()).isEqualTo("cpu");
        assertThat(WorkerBackend.open("cpu").name()).isEqualTo("cpu");
    }

    /** The command line's master, then spark-submit's (spark.master), then the config's, then local[*]. */
    @Test
    void theMasterComesFromTheCommandLineThenSparkSubmitThenTheConfig() {
        Config withMaster = config("master = \"local[3]\"\n");
        Config without = Config.parse("[training]\nseed = 1\n", "x.cfg");
        assertThat(DistributedSettings.of(withMaster, "local[2]", "spark://head:7077").master()).isEqualTo("local[2]");
        assertThat(DistributedSettings.of(withMaster, null, "spark://head:7077").master()).isEqualTo("spark://head:7077");
        assertThat(DistributedSettings.of(withMaster, null, null).master()).isEqualTo("local[3]");
        assertThat(DistributedSettings.of(without, null, null).master()).isEqualTo(DistributedSettings.DEFAULT_MASTER);
        assertThat(DistributedSettings.of(without, "", " ").master()).isEqualTo(DistributedSettings.DEFAULT_MASTER);
    }
}
