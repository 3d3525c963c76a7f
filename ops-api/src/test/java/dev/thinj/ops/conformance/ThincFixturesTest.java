package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.conformance.ThincFixtures.Case;
import dev.thinj.ops.conformance.ThincFixtures.Document;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks the fixture file itself, without a backend: that it parses, names its Thinc version, and
 * that the suite replays every kernel in it (and has no check without cases).
 */
class ThincFixturesTest {
    private final Document doc = ThincFixtures.load();

    @Test
    void recordsTheThincVersionThatMadeIt() {
        assertThat(doc.thincVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(doc.numpyVersion()).isNotBlank();
    }

    @Test
    void caseNamesAreUniqueAndPrefixedByTheirKernel() {
        List<String> names = doc.cases().stream().map(Case::name).collect(Collectors.toList());
        assertThat(names).doesNotHaveDuplicates();
        assertThat(doc.cases()).allSatisfy(c -> assertThat(c.name()).startsWith(c.kernel() + "/"));
    }

    @Test
    void everyKernelInTheFileHasACheckAndEveryCheckHasCases() {
        Set<String> inFile = doc.cases().stream().map(Case::kernel).collect(Collectors.toCollection(TreeSet::new));
        assertThat(inFile).isEqualTo(new TreeSet<>(ThincFixtureSuite.kernels()));
    }

    @Test
    void coversTheSingleElementAndEmptyBatchEdges() {
        // The cheap-to-forget shapes: one element, and a batch of zero rows.
        assertThat(doc.cases()).anySatisfy(c -> assertThat(c.name()).isEqualTo("gemm/1x1@1x1/nn"));
        assertThat(doc.cases()).anySatisfy(c -> assertThat(c.name()).isEqualTo("gemm/0x4@4x3/nn"));
        assertThat(doc.cases()).anySatisfy(c -> assertThat(c.name()).isEqualTo("softmax/0x5/T=1.0"));
        assertThat(doc.cases()).anySatisfy(c -> assertThat(c.name()).isEqualTo("layer_norm/0x5"));
    }
}
