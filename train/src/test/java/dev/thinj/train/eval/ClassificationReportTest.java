package dev.thinj.train.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassificationReportTest {
    private static final List<String> ABC = List.of("a", "b", "c");

    /**
     * By hand: confusion [[1,1,0],[0,2,0],[1,0,2]], 5 of 7 right. a: P = 1/2, R = 1/2, F1 = 1/2;
     * b: P = 2/3, R = 2/2, F1 = 2(2/3)/(5/3) = 0.8; c: P = 2/2, R = 2/3, F1 = 0.8; macro-F1 = 2.1/3 = 0.7.
     */
    @Test
    void aSmallCaseByHand() {
        ClassificationReport r = ClassificationReport.of(new int[] {0, 0, 1, 1, 2, 2, 2}, new int[] {0, 1, 1, 1, 2, 0, 2}, ABC);
        assertThat(r.confusion()).isDeepEqualTo(new int[][] {{1, 1, 0}, {0, 2, 0}, {1, 0, 2}});
        assertThat(r.count()).isEqualTo(7);
        assertThat(r.accuracy()).isCloseTo(5.0 / 7, within(1e-15));
        assertThat(r.macroF1()).isCloseTo(0.7, within(1e-15));
        assertScores(r.classes().get(0), "a", 0.5, 0.5, 0.5, 2);
        assertScores(r.classes().get(1), "b", 2.0 / 3, 1.0, 0.8, 2);
        assertScores(r.classes().get(2), "c", 1.0, 2.0 / 3, 0.8, 3);
        assertThat(r.scores()).containsExactly(entry("accuracy", r.accuracy()),
                entry("macro_f1", r.macroF1()));
    }

    private static void assertScores(ClassScores s, String name, double precision, double recall, double f1, int support) {
        assertThat(s.name()).isEqualTo(name);
        assertThat(s.precision()).as(name + " precision").isCloseTo(precision, within(1e-15));
        assertThat(s.recall()).as(name + " recall").isCloseTo(recall, within(1e-15));
        assertThat(s.f1()).as(name + " f1").isCloseTo(f1, within(1e-15));
        assertThat(s.support()).as(name + " support").isEqualTo(support);
    }

    /** sklearn's zero_division=0: c never predicted, d neither true nor predicted; both still count in the macro average. */
    @Test
    void aClassNeverPredictedOrAbsentScoresZero() {
        ClassificationReport r = ClassificationReport.of(new int[] {0, 1, 2, 2}, new int[] {0, 1, 1, 1}, List.of("a", "b", "c", "d"));
        assertScores(r.classes().get(2), "c", 0, 0, 0, 2);
        assertScores(r.classes().get(3), "d", 0, 0, 0, 0);
        assertScores(r.classes().get(1), "b", 1.0 / 3, 1, 0.5, 1);
        assertThat(r.macroF1()).isCloseTo((1 + 0.5 + 0 + 0) / 4, within(1e-15));
        assertThat(r.accuracy()).isEqualTo(0.5);
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> ClassificationReport.of(new int[] {0, 1}, new int[] {0}, ABC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2").hasMessageContaining("1");
        assertThatThrownBy(() -> ClassificationReport.of(new int[] {0, 1, 3}, new int[] {0, 1, 2}, ABC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truth[2] = 3")
                .hasMessageContaining("3 classes");
        assertThatThrownBy(() -> ClassificationReport.of(new int[] {0, 1, 2}, new int[] {0, -1, 2}, ABC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("predicted[1] = -1");
        assertThatThrownBy(() -> ClassificationReport.of(new int[0], new int[0], ABC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No samples");
        assertThatThrownBy(() -> ClassificationReport.of(new int[] {0}, new int[] {0}, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No class names");
        assertThatThrownBy(() -> ClassificationReport.of(new int[] {0}, new int[] {0}, List.of("x", "y", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"x\" appears twice");
        assertThatThrownBy(() -> new ClassificationReport(ABC, new int[2][2], 1, 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3x3");
    }

    @Test
    void theReportIsImmutableAndComparesByContent() {
        int[] truth = {0, 1, 1};
        ClassificationReport r = ClassificationReport.of(truth, new int[] {0, 1, 0}, List.of("x", "y"));
        r.confusion()[0][0] = 99;
        truth[0] = 1;
        assertThat(r.confusion()[0][0]).isEqualTo(1);
        ClassificationReport again = ClassificationReport.of(new int[] {0, 1, 1}, new int[] {0, 1, 0}, List.of("x", "y"));
        assertThat(again).isEqualTo(r).hasSameHashCodeAs(r);
        assertThat(r.toString()).contains("[[1, 0], [1, 1]]");
    }

    @Test
    void formatIsATableLikeSklearnsWhateverTheLocale() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);  // a decimal comma would show here
        try {
            String text = ClassificationReport.of(new int[] {0, 0, 1, 1, 2, 2, 2}, new int[] {0, 1, 1, 1, 2, 0, 2},
                    List.of("cat", "dog", "a long class name")).format();
            List<String> lines = text.lines().toList();
            assertThat(lines.get(0)).isEqualTo("accuracy  0.7143 (5 of 7 right)");
            assertThat(lines.get(1)).isEqualTo("macro F1  0.7000");
            assertThat(lines.get(3).split(" +")).containsExactly("class", "precision", "recall", "f1-score", "support");
            assertThat(lines.get(4).split(" +")).containsExactly("cat", "0.5000", "0.5000", "0.5000", "2");
            assertThat(lines.get(5).split(" +")).containsExactly("dog", "0.6667", "1.0000", "0.8000", "2");
            assertThat(lines.get(6)).startsWith("a long class name  ").endsWith("3");
            assertThat(lines.get(8).split(" +")).containsExactly("macro", "avg", "0.7222", "0.7222", "0.7000", "7");
            // weighted by support: P = (2*0.5 + 2*2/3 + 3*1)/7 = 0.7619, R = (1 + 2 + 2)/7, F1 = (1 + 1.6 + 2.4)/7
            assertThat(lines.get(9).split(" +")).containsExactly("weighted", "avg", "0.7619", "0.7143", "0.7143", "7");
            // The columns line up: every number ends where its header ends.
            assertThat(lines.get(4).length()).isEqualTo(lines.get(3).length());
            assertThat(lines.get(6).length()).isEqualTo(lines.get(3).length());
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void identitiesHoldOnRandomInputs() {
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            int k = 1 + random.nextInt(15);
            int n = 1 + random.nextInt(300);
            int[] truth = new int[n];
            int[] predicted = new int[n];
            for (int i = 0; i < n; i++) {
                truth[i] = random.nextInt(k);
                predicted[i] = random.nextDouble() < 0.5 ? truth[i] : random.nextInt(k);
            }
            List<String> names = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                names.add("class " + c);
            }
            ClassificationReport r = ClassificationReport.of(truth, predicted, names);
            String at = "seed " + seed;
            int[][] m = r.confusion();
            long trace = 0;
            long sum = 0;
            double f1Sum = 0;
            for (int c = 0; c < k; c++) {
                trace += m[c][c];
                int row = 0;
                int column = 0;
                for (int o = 0; o < k; o++) {
                    row += m[c][o];
                    column += m[o][c];
                }
                sum += row;
                ClassScores s = r.classes().get(c);
                assertThat(s.support()).as(at).isEqualTo(row);
                assertThat(s.precision()).as(at).isEqualTo(column == 0 ? 0 : (double) m[c][c] / column);
                assertThat(s.recall()).as(at).isEqualTo(row == 0 ? 0 : (double) m[c][c] / row);
                assertThat(s.f1()).as(at).isBetween(0.0, 1.0)
                        .isCloseTo(s.precision() + s.recall() == 0 ? 0
                                : 2 * s.precision() * s.recall() / (s.precision() + s.recall()), within(1e-12));
                f1Sum += s.f1();
            }
            assertThat(sum).as(at).isEqualTo(n);
            assertThat(r.count()).as(at).isEqualTo(n);
            assertThat(r.accuracy()).as(at).isEqualTo((double) trace / n);
            assertThat(r.macroF1()).as(at).isBetween(0.0, 1.0).isCloseTo(f1Sum / k, within(1e-12));
            ClassificationReport perfect = ClassificationReport.of(truth, truth, names);
            long present = perfect.classes().stream().filter(s -> s.support() > 0).count();
            assertThat(perfect.accuracy()).as(at).isEqualTo(1.0);
            assertThat(perfect.macroF1()).as(at).isCloseTo((double) present / k, within(1e-12));
        }
    }
}
