package dev.thinj.train.data.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.train.data.DataException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Class order is a function of the set of labels alone. */
class LabelEncoderTest {
    @Test
    void orderIsNumericWhenAllAreNumbersElseStringOrder() {
        assertThat(LabelEncoder.sorted(List.of("10", "9", "-3", "1e1", "0.5"))).containsExactly("-3", "0.5", "9",
                "10", "1e1");
        assertThat(LabelEncoder.sorted(List.of("10", "9", "x"))).containsExactly("10", "9", "x");
        assertThat(LabelEncoder.sorted(List.of("b", "B", "a"))).containsExactly("B", "a", "b");
    }

    @Test
    void orderDoesNotDependOnFirstAppearance() {
        List<String> labels = List.of("3", "20", "100", "-1", "7.5", "0");
        List<String> expected = LabelEncoder.sorted(labels);
        for (long seed = 0; seed < 50; seed++) {
            List<String> shuffled = new ArrayList<>(labels);
            Collections.shuffle(shuffled, new Random(seed));
            LabelEncoder e = new LabelEncoder();
            for (String l : shuffled) {
                e.code(l, 1, "f.csv", "y");
            }
            assertThat(e.classes()).as("seed " + seed).isEqualTo(expected).containsExactly("-1", "0", "3", "7.5", "20",
                    "100");
        }
    }

    @Test
    void remapMapsProvisionalCodesToClassesAndNamesAnUnknownLabelsFirstLine() {
        LabelEncoder e = new LabelEncoder();
        assertThat(e.code("b", 2, "f.csv", "y")).isZero();
        assertThat(e.code("a", 3, "f.csv", "y")).isEqualTo(1);
        assertThat(e.code("b", 4, "f.csv", "y")).isZero();
        assertThat(e.remap(List.of("a", "b", "c"), "f.csv", "y", "train.csv")).containsExactly(1, 0);
        assertThatThrownBy(() -> e.remap(List.of("b"), "f.csv", "y", "train.csv")).isInstanceOf(DataException.class)
                .hasMessageStartingWith("f.csv:3: column \"y\": label \"a\" never occurs in train.csv");
    }

    @Test
    void tooManyDistinctLabelsSuggestRegression() {
        LabelEncoder e = new LabelEncoder();
        for (int i = 0; i < LabelEncoder.MAX_CLASSES; i++) {
            e.code(Integer.toString(i), i + 2, "f.csv", "y");
        }
        assertThatThrownBy(() -> e.code("x", 99, "f.csv", "y")).isInstanceOf(DataException.class)
                .hasMessageContaining("f.csv:99: column \"y\": more than 65536 distinct labels")
                .hasMessageContaining("task = \"regress\"");
    }
}
