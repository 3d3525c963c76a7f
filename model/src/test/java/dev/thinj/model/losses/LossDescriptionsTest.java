package dev.thinj.model.losses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.Ops;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the losses and their truths say about themselves: their options as given (a config's
 * {@code [loss]} block is built from these) and a description for logs and errors.
 */
class LossDescriptionsTest {
    private final Ops ops = Ops.get("cpu");

    @Test
    void categoricalCrossentropyReportsItsOptions() {
        CategoricalCrossentropy plain = new CategoricalCrossentropy();
        assertThat(plain.normalize()).isTrue();
        assertThat(plain).hasToString("CategoricalCrossentropy(normalize=true, names=null, missingValue=null,"
                + " negPrefix=null, labelSmoothing=0.0)");
        CategoricalCrossentropy named = CategoricalCrossentropy.builder().normalize(false).names(List.of("a", "b"))
                .missingValue("?").negPrefix("!").labelSmoothing(0.1).build();
        assertThat(named.normalize()).isFalse();
        assertThat(named).hasToString("CategoricalCrossentropy(normalize=false, names=[a, b], missingValue=\"?\","
                + " negPrefix=\"!\", labelSmoothing=0.1)");
        assertThat(CategoricalCrossentropy.builder().missingValue(-1).build().toString()).contains("missingValue=-1,");
    }

    @Test
    void theDistancesReportTheirOptions() {
        assertThat(new CosineDistance(false, true).normalize()).isFalse();
        assertThat(new CosineDistance(true, false).normalize()).isTrue();
        assertThat(new CosineDistance(false, true)).hasToString("CosineDistance(normalize=false, ignoreZeros=true)");
        assertThat(new L2Distance(false)).hasToString("L2Distance(normalize=false)");
        assertThat(new L2Distance()).hasToString("L2Distance(normalize=true)");
    }

    @Test
    void sequenceCrossentropyReportsItsOptions() {
        SequenceCategoricalCrossentropy s = SequenceCategoricalCrossentropy.builder().normalize(false).missingValue(-1)
                .labelSmoothing(0.2).build();
        assertThat(s.normalize()).isFalse();
        assertThat(new SequenceCategoricalCrossentropy().normalize()).isTrue();
        assertThat(s.toString()).startsWith("SequenceCategoricalCrossentropy(normalize=false, per sequence: ")
                .contains("missingValue=-1").contains("labelSmoothing=0.2");
        assertThat(SequenceCategoricalCrossentropy.builder().missingValue("?").names(List.of("x")).build().toString())
                .contains("missingValue=\"?\"");
    }

    @Test
    void truthsSayWhatTheyHold() {
        assertThat(Truths.of(1, 2, 0)).hasToString("Truths(3 class indices)");
        assertThat(Truths.of(ops.asInts(new int[] {1, 2}))).hasToString("Truths(class indices on cpu, shape (2,))");
        assertThat(Truths.of(ops.alloc(4, 3))).hasToString("Truths(target, shape (4, 3))");
        assertThat(Truths.of(List.of("a", "b"))).hasToString("Truths(2 names)");
    }
}
